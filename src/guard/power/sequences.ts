import type { Signal } from '../config/config.js';
import type { TimingName } from '../config/timings.js';

// The power sequences of quectel-ec25.md §4 as data (like esptool-js's reset strings): what to
// drive, for how long (a timing of the board file), what to wait for. run-sequence.ts interprets
// them; sequencer.ts picks them and records what happened in the risk journal.

export type Step =
  /** Assert or release a signal; `ifWired`: skip when the board has no such line (VBAT always on). */
  | { readonly do: 'drive'; readonly signal: Signal; readonly asserted: boolean; readonly ifWired?: true }
  | { readonly do: 'wait'; readonly timing: TimingName }
  /** Assert a signal for a timing, then release it. */
  | { readonly do: 'press'; readonly signal: Signal; readonly timing: TimingName }
  /** Wait for STATUS; `notBefore` is the earliest it is believed (ATMARK: ≥ 2.5 s). */
  | { readonly do: 'await-status'; readonly running: boolean; readonly timeout: TimingName; readonly notBefore?: TimingName }
  /** `RDY` on the AT port (or an answer to AT when RDY went by before the port opened). */
  | { readonly do: 'await-ready'; readonly timeout: TimingName }
  /** `AT+QPOWD=1` and its `POWERED DOWN`. */
  | { readonly do: 'qpowd'; readonly timeout: TimingName }
  /** `AT+CFUN=1,1`. */
  | { readonly do: 'cfun-reset' }
  /** VBAT off — refused while STATUS says the module runs (§4.3: never cut VBAT while STATUS says on). */
  | { readonly do: 'cut-vbat' };

export type Sequence = readonly Step[];

/** §4.2: VBAT stable ≥ 30 ms, PWRKEY ≥ 500 ms, STATUS within 2.5–10 s, then RDY. */
export const POWER_ON: Sequence = [
  { do: 'drive', signal: 'reset_n', asserted: false, ifWired: true },
  { do: 'drive', signal: 'vbat_enable', asserted: true, ifWired: true },
  { do: 'wait', timing: 'vbat_settle_ms' },
  { do: 'press', signal: 'pwrkey', timing: 'pwrkey_on_ms' },
  { do: 'await-status', running: true, notBefore: 'status_on_min_ms', timeout: 'status_on_timeout_ms' },
  { do: 'await-ready', timeout: 'rdy_timeout_ms' },
];

export type PowerOffMethod = 'qpowd' | 'pwrkey' | 'reset-hold';

/** One way of stopping the module; the first that ends with STATUS released wins. */
export interface PowerOffAttempt {
  readonly method: PowerOffMethod;
  /** False for the last resort: the module was stopped, not shut down in order. */
  readonly graceful: boolean;
  readonly steps: Sequence;
}

/**
 * §4.3: AT+QPOWD=1 → POWERED DOWN → STATUS released; else PWRKEY ≥ 650 ms with up to 30 s for
 * STATUS; RESET_N only as the last resort (ATMARK), held so the firmware stops writing before the
 * cut (eg25-manager keeps RESET asserted after shutdown, §5.3).
 */
export const POWER_OFF_ATTEMPTS: readonly PowerOffAttempt[] = [
  { method: 'qpowd', graceful: true, steps: [{ do: 'qpowd', timeout: 'qpowd_timeout_ms' }, { do: 'await-status', running: false, timeout: 'status_off_timeout_ms' }] },
  { method: 'pwrkey', graceful: true, steps: [{ do: 'press', signal: 'pwrkey', timing: 'pwrkey_off_ms' }, { do: 'await-status', running: false, timeout: 'pwrkey_off_status_timeout_ms' }] },
  { method: 'reset-hold', graceful: false, steps: [{ do: 'drive', signal: 'reset_n', asserted: true }, { do: 'wait', timing: 'reset_hold_ms' }] },
];

/** After the module stopped: §4.3 "wait ~1 s more, then remove VBAT". */
export const AFTER_POWER_OFF: Sequence = [
  { do: 'wait', timing: 'powered_down_to_vbat_off_ms' },
  { do: 'cut-vbat' },
];

/** The reset step of the recovery ladder: AT+CFUN=1,1, then RDY again. */
export const CFUN_RESET: Sequence = [
  { do: 'cfun-reset' },
  { do: 'await-ready', timeout: 'rdy_timeout_ms' },
];

/** A VBAT cycle's off time, between AFTER_POWER_OFF and POWER_ON. */
export const VBAT_OFF_HOLD: Sequence = [{ do: 'wait', timing: 'vbat_off_hold_ms' }];
