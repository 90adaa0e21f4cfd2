import { MedicError } from '../../core/errors.js';

export const powerErrorCodes = {
  lineMissing: 'GUARD_LINE_MISSING',
  /** VBAT would be cut while STATUS says the module runs: refused (§4.3). */
  unsafeCut: 'GUARD_UNSAFE_CUT',
  powerOnFailed: 'GUARD_POWER_ON_FAILED',
  powerOffFailed: 'GUARD_POWER_OFF_FAILED',
  notReady: 'GUARD_MODULE_NOT_READY',
} as const;

export class PowerError extends MedicError {}
