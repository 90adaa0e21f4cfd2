// How the module talks back: echo, error verbosity, factory defaults (fact sheet §3.1, §3.9).
// The client copes with echo on or off and with every CMEE level; these exist so a session can
// settle on a known state (ATE0, AT+CMEE=2 gives the most readable errors).

import { command, noResult, type AtCommand } from './command.js';

/** `ATE1` / `ATE0`: the module repeats (or stops repeating) each command. Power-on default is on. */
export function setEcho(on: boolean): AtCommand<undefined> {
  return command(on ? 'ATE1' : 'ATE0', noResult, { responsePrefix: [] });
}

/** AT+CMEE levels: 0 plain ERROR, 1 numeric `+CME ERROR: <n>` (the default here), 2 verbose text. */
export const ERROR_FORMATS = { 0: 'plain', 1: 'numeric', 2: 'verbose' } as const;

/** `AT+CMEE=<n>`. */
export function setErrorFormat(level: 0 | 1 | 2): AtCommand<undefined> {
  return command(`AT+CMEE=${level}`, noResult, { responsePrefix: [] });
}

/**
 * `AT&F`: restores the manual's default table for the non-QCFG settings (echo on, CMEE 1, …);
 * QCFG values in NV are untouched (fact sheet §3.9).
 */
export function restoreDefaults(): AtCommand<undefined> {
  return command('AT&F', noResult, { responsePrefix: [] });
}
