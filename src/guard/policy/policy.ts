// The AT proxy's policy as data (issue #5): it comes from the guard's configuration file; these
// are the defaults and the shape. The decision that applies it is decide.ts.

export const BEYOND_BUDGET_ACTIONS = ['delay', 'coalesce', 'refuse'] as const;
export type BeyondBudgetAction = (typeof BEYOND_BUDGET_ACTIONS)[number];

export interface CfunPolicy {
  /**
   * Functionality-level changes (AT+CFUN=0/1/4) the module may see per sliding hour and day.
   * Every change counts, not only 0↔1: the fact sheet says NV is written "during CFUN changes"
   * (quectel-ec25.md §5.1) and names no safe number (§8.8 GAP). The defaults are ours: the only
   * published figure, ~30 power/CFUN operations a day, is Quectel's for the EC200U (§5.1,
   * another platform, indicative only).
   */
  readonly perHour: number;
  readonly perDay: number;
  /**
   * What happens to a change beyond the budget: `delay` holds it until the budget frees (at most
   * `maxDelayMs`, then it is refused); `coalesce` answers OK at once and holds the change: a later
   * request that brings the level back cancels it, otherwise it is applied once the budget frees
   * and `coalesceWindowMs` has passed; `refuse` answers ERROR with the reason.
   */
  readonly beyondBudget: BeyondBudgetAction;
  readonly maxDelayMs: number;
  readonly coalesceWindowMs: number;
}

export interface AtPolicy {
  readonly cfun: CfunPolicy;
  /**
   * Persistent settings (AT+QCFG="…",…, AT+QURCCFG="urcport",…) are read first and written only
   * when they differ: eg25-manager's rule (quectel-ec25.md §5.3), because every write costs an NV
   * write even when the value does not change (§3.9, §8.8).
   */
  readonly queryThenSet: boolean;
  /** R&D commands (DANGEROUS_COMMANDS) the configuration allows anyway, e.g. ["+QNVR"]. */
  readonly allowCommands: readonly string[];
}

/** A dangerous command and why it is refused by default. */
export interface DangerousCommand {
  readonly name: string;
  readonly why: string;
  readonly source: string;
}

/**
 * Refused unless `allowCommands` names them. Each can destroy what a reflash cannot give back
 * (calibration, IMEI) or leave the module outside normal mode.
 */
export const DANGEROUS_COMMANDS: readonly DangerousCommand[] = [
  { name: '+QPRTPARA', why: 'restores factory parameters; an EP06 lost its calibration this way', source: 'quectel-ec25.md §3.9, §5.1 (QFORUM/27476)' },
  { name: '+EGMR', why: 'writes the IMEI', source: 'quectel-ec25.md §3.9' },
  { name: '+QNVFW', why: 'writes raw NV/EFS files', source: 'quectel-ec25.md §3.9' },
  { name: '+QNVR', why: 'raw NV access', source: 'quectel-ec25.md §3.9' },
  // Not in the fact sheet: the write sibling of AT+QNVR as integrators name it. UNVERIFIED.
  { name: '+QNVW', why: 'writes raw NV items', source: 'UNVERIFIED (sibling of AT+QNVR, §3.9)' },
  { name: '+QFASTBOOT', why: 'drops the module into fastboot: it leaves normal mode', source: 'quectel-ec25.md §3.9, §5.2' },
  // Not in the fact sheet by name: a firmware update over the air rewrites the modem image, and a
  // power loss during a firmware update is §5.1's "+CFUN: 5" case.
  { name: '+QFOTADL', why: 'starts a firmware update; a power loss during it loses calibration', source: 'UNVERIFIED by name; risk per quectel-ec25.md §5.1' },
];

export const DEFAULT_AT_POLICY: AtPolicy = {
  cfun: { perHour: 6, perDay: 30, beyondBudget: 'refuse', maxDelayMs: 120_000, coalesceWindowMs: 10_000 },
  queryThenSet: true,
  allowCommands: [],
};
