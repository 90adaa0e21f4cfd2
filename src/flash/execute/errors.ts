import { MedicError, type MedicErrorOptions } from '../../core/errors.js';

// How a flash, backup or restore can end badly, in the two kinds the CLI's exit codes tell apart
// (issue 3 §2): REFUSED — nothing was written to the module, it is as it was; FAILED-RECOVERABLE —
// something was written, the backup is on disk, and because SBL is erased first and programmed
// last (quectel-ec25.md §2.5) the module falls back to EDL 05c6:9008 and the flash can be run again.

export const flashErrorCodes = {
  /** The package failed validation (files, MD5, geometry, model/region/baseline). */
  packageRefused: 'FLASH_PACKAGE_REFUSED',
  /** No plan could be made for this module (partition table, per-unit partitions, layout). */
  planRefused: 'FLASH_PLAN_REFUSED',
  /** Sahara or Firehose could not be brought up, or the link went before anything was written. */
  notStarted: 'FLASH_NOT_STARTED',
  /** Two reads of a per-unit partition differ. */
  backupMismatch: 'FLASH_BACKUP_MISMATCH',
  /** The backup could not be written (or read back) on the host's disk. */
  backupUnwritable: 'FLASH_BACKUP_UNWRITABLE',
  /** The backup folder already holds a backup; it is never overwritten. */
  backupExists: 'FLASH_BACKUP_EXISTS',
  /** The link, the power or the caller stopped the flash after the first write. */
  interrupted: 'FLASH_INTERRUPTED',
  /** The programmer refused an erase or program after the first write. */
  writeRefused: 'FLASH_WRITE_REFUSED',
  /** What was read back is not what was written. */
  verifyMismatch: 'FLASH_VERIFY_MISMATCH',
} as const;

export type FlashErrorCode = (typeof flashErrorCodes)[keyof typeof flashErrorCodes];

export type FlashErrorCategory = 'refused' | 'failed-recoverable';

export interface FlashErrorOptions extends MedicErrorOptions {
  readonly backupDirectory?: string | undefined;
  /** The step that failed, for messages and --json. */
  readonly step?: string | undefined;
}

export abstract class FlashExecutionError extends MedicError {
  abstract readonly category: FlashErrorCategory;
  /** Whether anything was erased or written on the module. */
  abstract readonly written: boolean;
  readonly backupDirectory: string | undefined;
  readonly step: string | undefined;

  constructor(code: FlashErrorCode, message: string, options: FlashErrorOptions = {}) {
    super(code, message, { ...options, details: { ...options.details, ...(options.backupDirectory === undefined ? {} : { backupDirectory: options.backupDirectory }), ...(options.step === undefined ? {} : { step: options.step }) } });
    this.backupDirectory = options.backupDirectory;
    this.step = options.step;
  }
}

/** Nothing was written: the module is as it was before the run. */
export class FlashRefusedError extends FlashExecutionError {
  readonly category = 'refused' as const;
  readonly written = false as const;
}

/** Something was written; the module falls back to EDL and the backup is on disk. */
export class FlashRecoverableError extends FlashExecutionError {
  readonly category = 'failed-recoverable' as const;
  readonly written = true as const;
}

export function isFlashExecutionError(value: unknown): value is FlashExecutionError {
  return value instanceof FlashExecutionError;
}
