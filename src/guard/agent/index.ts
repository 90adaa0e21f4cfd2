export { runGuard, type GuardAgentOptions, type GuardRunSummary } from './guard-agent.js';
export { MODULE_STATES, readStateFile, STATE_FILE, writeStateFile, type GuardStateFile, type ModuleState } from './state-file.js';
export { readGuardStatus, type BudgetStatus, type GuardStatus } from './status.js';
