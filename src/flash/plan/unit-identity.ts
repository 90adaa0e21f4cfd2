import { join } from 'node:path';
import { FlashPlanError } from './errors.js';

// Backups are kept per unit: a folder named after the IMEI (AT+GSN, what a user reads off a label)
// or, for a module that only shows EDL, the chip serial Sahara's command mode reports
// (edl-protocols.md §1.4) — and inside it one folder per backup, named by time, so a later backup
// never overwrites an earlier one (DESIGN.md "Nothing is lost").

export interface UnitIdentity {
  /** 15 digits. */
  readonly imei?: string | undefined;
  /** The Sahara serial number (a u32, e.g. 0x0cf94c64), as a number or hex text. */
  readonly serial?: number | string | undefined;
}

export function normaliseImei(imei: string | undefined): string | undefined {
  const digits = imei?.trim();
  return digits !== undefined && /^\d{15}$/.test(digits) ? digits : undefined;
}

export function normaliseSerial(serial: number | string | undefined): string | undefined {
  if (serial === undefined) return undefined;
  const value = typeof serial === 'number' ? serial : Number(/^0x/i.test(serial.trim()) ? serial.trim() : `0x${serial.trim()}`);
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) return undefined;
  return value.toString(16).padStart(8, '0');
}

/** `imei-<15 digits>` or `serial-<8 hex digits>`, or undefined when neither is known. */
export function unitFolderName(unit: UnitIdentity): string | undefined {
  const imei = normaliseImei(unit.imei);
  if (imei !== undefined) return `imei-${imei}`;
  const serial = normaliseSerial(unit.serial);
  return serial === undefined ? undefined : `serial-${serial}`;
}

/** e.g. 20261123T221530Z: sorts by time, safe in any file system. */
export function backupTimestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

export interface BackupLocation {
  /** Put backups under root/<unit>/<timestamp>/. */
  readonly root?: string | undefined;
  /** Or exactly here. */
  readonly directory?: string | undefined;
}

export function backupDirectoryFor(location: BackupLocation, unit: UnitIdentity, now: Date): string {
  if (location.directory !== undefined) return location.directory;
  const folder = unitFolderName(unit);
  if (location.root === undefined || folder === undefined) {
    throw new FlashPlanError('PLAN_BACKUP_LOCATION', location.root === undefined ? 'no backup location given' : 'the unit has no IMEI or serial to name its backup folder', {
      hint: 'Give a backup root (backups go to <root>/imei-<IMEI>/<time>/) and the unit\'s IMEI or Sahara serial, or an explicit backup directory.',
    });
  }
  return join(location.root, folder, backupTimestamp(now));
}

/** Whether two identities name the same unit: undefined when they share no field to compare. */
export function sameUnit(a: UnitIdentity, b: UnitIdentity): boolean | undefined {
  const results: boolean[] = [];
  const imeiA = normaliseImei(a.imei);
  const imeiB = normaliseImei(b.imei);
  if (imeiA !== undefined && imeiB !== undefined) results.push(imeiA === imeiB);
  const serialA = normaliseSerial(a.serial);
  const serialB = normaliseSerial(b.serial);
  if (serialA !== undefined && serialB !== undefined) results.push(serialA === serialB);
  if (results.length === 0) return undefined;
  return results.every(Boolean);
}
