// AT+CFUN (fact sheet §3.3). Vendor advice (§5, DESIGN.md): cycling CFUN 0/1 often wears NV;
// the guard layer rations these commands, this file only speaks them.

import { command, noResult, type AtCommand } from './command.js';
import { int, requireParams } from './params.js';

/**
 * Names of the <fun> values a module reports. What each means for the module's health (and what
 * to do) is module knowledge: src/modem/functionality.ts.
 */
export const FUNCTIONALITY_MODES = {
  0: 'minimum',
  1: 'full',
  4: 'airplane',
  // Not in the manual: observed on modules whose RF calibration/NV was lost or whose firmware
  // baseline was crossed; AT+CFUN=1 then fails with CME 3 or 0 (fact sheet §3.3, QFORUM/56770, 58100).
  5: 'factory-test',
  7: 'abnormal-7',
} as const;

export type FunctionalityName = (typeof FUNCTIONALITY_MODES)[keyof typeof FUNCTIONALITY_MODES] | 'unknown';

export interface Functionality {
  readonly fun: number;
  readonly name: FunctionalityName;
}

/** `AT+CFUN?` → `+CFUN: <fun>`. Up to 15 s. */
export function getFunctionality(): AtCommand<Functionality> {
  return command('AT+CFUN?', (response) => {
    const fun = int(requireParams(response, '+CFUN:')[0], response, '<fun>');
    const name = (FUNCTIONALITY_MODES as Readonly<Record<number, FunctionalityName>>)[fun];
    return { fun, name: name ?? 'unknown' };
  });
}

/**
 * `AT+CFUN=<fun>` for 0, 1 or 4. After AT+CFUN=1 the module reports +CPIN, +QUSIM and +QIND as
 * URCs; the empty prefix list routes a `+CFUN:` URC during the command to subscribers.
 */
export function setFunctionality(fun: 0 | 1 | 4): AtCommand<undefined> {
  return command(`AT+CFUN=${fun}`, noResult, { responsePrefix: [] });
}

/**
 * `AT+CFUN=1,1`: reset, then full functionality (`rst` is only valid with fun 1). The module
 * drops off USB and comes back with RDY; the transport of a USB port goes away.
 */
export function resetModule(): AtCommand<undefined> {
  return command('AT+CFUN=1,1', noResult, { responsePrefix: [] });
}
