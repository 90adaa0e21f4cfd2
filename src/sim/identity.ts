// Who the module is: model, IMEI, firmware revision. Stored with the module (it survives power
// cycles and restarts), unlike the SIM card, which belongs to the environment.
import { randomInt } from 'node:crypto';
import { UsageError } from '../core/errors.js';
import { modelSpec } from './models.js';

export interface ModuleIdentity {
  readonly model: string;
  readonly imei: string;
  /** `ATI` / `AT+GMR` string, e.g. EC25AFAR05A04M4G (§2.9). */
  readonly revision: string;
  /** `AT+QGMR` suffix `<modem>.<minor>.<ap>.<minor>` (§2.9, MM helper). */
  readonly subVersion: string;
}

export const DEFAULT_MODEL = 'EC25-A';
export const DEFAULT_SUB_VERSION = '01.001.01.001';

/** The Luhn check digit for `digits` (IMEI: over the first 14 digits; ICCID: over all but the last). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidLuhn(number: string): boolean {
  return /^\d{2,}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === Number(number.slice(-1));
}

function withCheckDigit(body: string): string {
  return `${body}${luhnCheckDigit(body)}`;
}

function randomDigits(count: number): string {
  return Array.from({ length: count }, () => String(randomInt(10))).join('');
}

/** A fresh IMEI for a new module. The TAC 86123405 is made up, not a registered Quectel TAC. */
export function newImei(): string {
  return withCheckDigit(`86123405${randomDigits(6)}`);
}

export function checkImei(imei: string): string {
  if (!/^\d{15}$/.test(imei) || !isValidLuhn(imei)) {
    throw new UsageError(`${imei} is not a valid IMEI`, { hint: 'An IMEI is 15 digits whose last digit is the Luhn check digit of the first 14, e.g. 861234050000005.' });
  }
  return imei;
}

/** ICCIDs are 19 or 20 digits, Luhn-checked (ITU-T E.118). */
export function checkIccid(iccid: string): string {
  if (!/^89\d{17,18}$/.test(iccid) || !isValidLuhn(iccid)) {
    throw new UsageError(`${iccid} is not a valid ICCID`, { hint: 'An ICCID is 19–20 digits starting with 89, the last being a Luhn check digit.' });
  }
  return iccid;
}

export function checkRevision(revision: string): string {
  if (!/^[A-Z0-9]+R\d{2}A\d{2}[A-Z0-9]+$/.test(revision)) {
    throw new UsageError(`${revision} does not look like a Quectel firmware revision`, { hint: 'Use the form of ATI / AT+GMR, e.g. EC25AFAR05A04M4G (R<baseline>A<minor>).' });
  }
  return revision;
}

export interface IdentityOverrides {
  readonly model?: string;
  readonly imei?: string;
  readonly revision?: string;
}

/** The identity of a new module, or of a stored one with the given overrides applied. */
export function resolveIdentity(stored: ModuleIdentity | undefined, overrides: IdentityOverrides): ModuleIdentity {
  const model = overrides.model ?? stored?.model ?? DEFAULT_MODEL;
  const spec = modelSpec(model);
  const modelChanged = stored !== undefined && stored.model !== model;
  return {
    model,
    imei: overrides.imei === undefined ? (stored?.imei ?? newImei()) : checkImei(overrides.imei),
    revision: overrides.revision === undefined ? (modelChanged || stored === undefined ? spec.defaultRevision : stored.revision) : checkRevision(overrides.revision),
    subVersion: stored?.subVersion ?? DEFAULT_SUB_VERSION,
  };
}
