export { BUDGET_FILE, BudgetStore, readRuns, type BudgetCheck, type BudgetStoreOptions } from './budget-store.js';
export { RecoveryLadder, type LadderOutcome, type RecoveryLadderOptions } from './ladder.js';
