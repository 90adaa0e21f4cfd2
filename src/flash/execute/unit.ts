import { normaliseImei, normaliseSerial, type UnitIdentity } from '../plan/unit-identity.js';

// A unit is named by its IMEI (read over AT before the EDL switch) or, for a module that only
// shows EDL, by the chip serial the boot ROM reports (plan/unit-identity.ts). The serial is asked
// for only when the caller knows neither.

export function needsSerial(unit: UnitIdentity | undefined, allowed: boolean | undefined): boolean {
  return allowed !== false && normaliseImei(unit?.imei) === undefined && normaliseSerial(unit?.serial) === undefined;
}

export function withSerial(unit: UnitIdentity | undefined, serial: number | undefined): UnitIdentity {
  return serial === undefined ? (unit ?? {}) : { ...unit, serial };
}
