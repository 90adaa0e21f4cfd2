import type { CfunPolicy } from './policy.js';

// The CFUN budget: the times (wall-clock ms) of the level changes the module saw, in a sliding
// hour and day. Pure functions over plain data, so a fake clock can drive them and the state can
// be stored as JSON (budget-store.ts) and survive an agent restart.

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface CfunBudgetState {
  /** When the module changed functionality level, oldest first; only the last day is kept. */
  readonly transitions: readonly number[];
}

export const EMPTY_BUDGET: CfunBudgetState = { transitions: [] };

export interface BudgetUse {
  readonly hour: number;
  readonly day: number;
  /** True when one more change fits both windows. */
  readonly available: boolean;
  /** When the next change fits (ms, same clock), when it does not now; undefined when a limit is 0. */
  readonly nextAllowedAt: number | undefined;
  /** Which window is full: for the reason text. */
  readonly limitedBy: 'hour' | 'day' | undefined;
}

/** Drops what is older than a day. Entries "from the future" (the wall clock was set back) stay and count: the safe side. */
export function pruneBudget(state: CfunBudgetState, nowMs: number): CfunBudgetState {
  return { transitions: state.transitions.filter((at) => at > nowMs - DAY_MS) };
}

export function budgetUse(state: CfunBudgetState, policy: CfunPolicy, nowMs: number): BudgetUse {
  const inDay = pruneBudget(state, nowMs).transitions;
  const inHour = inDay.filter((at) => at > nowMs - HOUR_MS);
  const hourFull = inHour.length >= policy.perHour;
  const dayFull = inDay.length >= policy.perDay;
  if (!hourFull && !dayFull) return { hour: inHour.length, day: inDay.length, available: true, nextAllowedAt: undefined, limitedBy: undefined };
  // The window frees when enough of its oldest entries have aged out to leave room for one more.
  const frees = (entries: readonly number[], limit: number, windowMs: number): number | undefined => {
    if (limit === 0) return undefined;
    const oldest = entries[entries.length - limit];
    return oldest === undefined ? nowMs : oldest + windowMs;
  };
  const hourFrees = hourFull ? frees(inHour, policy.perHour, HOUR_MS) : nowMs;
  const dayFrees = dayFull ? frees(inDay, policy.perDay, DAY_MS) : nowMs;
  const nextAllowedAt = hourFrees === undefined || dayFrees === undefined ? undefined : Math.max(hourFrees, dayFrees);
  const limitedBy = dayFull && (dayFrees === undefined || hourFrees === undefined || dayFrees >= hourFrees) ? 'day' : 'hour';
  return { hour: inHour.length, day: inDay.length, available: false, nextAllowedAt, limitedBy };
}

/** The state after a change the module saw at `nowMs`. */
export function recordTransition(state: CfunBudgetState, nowMs: number): CfunBudgetState {
  return { transitions: [...pruneBudget(state, nowMs).transitions, nowMs] };
}

/** "14 min", "45 s", "3 h 5 min". */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "CFUN budget 6/h used, next allowed in 14 min": the reason apps and the journal get. */
export function describeBudget(use: BudgetUse, policy: CfunPolicy, nowMs: number): string {
  const used = use.limitedBy === 'day' ? `${policy.perDay}/day` : `${policy.perHour}/h`;
  if (use.nextAllowedAt === undefined) return `CFUN budget ${used} used, CFUN changes are disabled by policy`;
  return `CFUN budget ${used} used, next allowed in ${describeWait(use.nextAllowedAt - nowMs)}`;
}
