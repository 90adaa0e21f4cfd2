// The AT proxy's policy (issue #5): data, its checks, and the pure decision over one command line.
export { BUDGET_FILE, BudgetStore } from './budget-store.js';
export { budgetUse, DAY_MS, describeBudget, describeWait, EMPTY_BUDGET, HOUR_MS, pruneBudget, recordTransition, type BudgetUse, type CfunBudgetState } from './cfun-budget.js';
export { parseCommandLine, type CommandArg, type CommandKind, type LineCommand } from './command-line.js';
export { decide, heldChangeDue, type CfunChange, type Decision, type DecisionInput, type HeldCfun, type ModuleSnapshot, type RefusalRule } from './decide.js';
export { PolicyError, policyErrorCodes } from './errors.js';
export { BEYOND_BUDGET_ACTIONS, DANGEROUS_COMMANDS, DEFAULT_AT_POLICY, type AtPolicy, type BeyondBudgetAction, type CfunPolicy, type DangerousCommand } from './policy.js';
export { sameValue, sameValues, splitValues, valuesInResponse } from './setting-values.js';
export { commandName, parseAtPolicy } from './validate-policy.js';
