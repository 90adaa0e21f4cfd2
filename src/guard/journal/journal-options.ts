import type { Logger } from '../../core/logger.js';
import { UNIT_ID_PATTERN } from '../events/event-types.js';
import { JournalError, journalErrorCodes } from './errors.js';

// The journal's settings (they come from the guard's configuration file) and their checks.

/**
 * When records reach the disk.
 * - `'every-record'`: `append` resolves after fdatasync. A host power cut loses nothing that was
 *   acknowledged to the caller; each event costs one flash write and a few ms (more on SD cards).
 * - `{ intervalMs }`: `append` resolves after write(2); an fdatasync follows within `intervalMs`,
 *   batching every record written meanwhile. A host power cut loses at most the last `intervalMs`
 *   of events (a crash of the agent alone loses nothing: the kernel still has the pages). Readers
 *   (`readFrom`, the uplink) see a record only once it is on disk, so nothing is ever sent to the
 *   server that a power cut could take back and a later event could reuse the sequence of.
 */
export type FsyncPolicy = 'every-record' | { readonly intervalMs: number };

export interface JournalClock {
  wallTime(): Date;
  /** Host CLOCK_MONOTONIC in ms. */
  monoMs(): number;
}

export interface RiskJournalOptions {
  readonly unitId: string;
  /** A segment is closed and a new one started when the next record would take it past this size. Default 1 MiB. */
  readonly maxBytes?: number;
  /** Segments kept, the active one included; the oldest is deleted beyond this. Default 8. */
  readonly keepFiles?: number;
  readonly fsync?: FsyncPolicy;
  readonly logger?: Logger;
  readonly clock?: JournalClock;
  readonly newBootSessionId?: () => string;
}

export const defaultClock: JournalClock = {
  wallTime: () => new Date(),
  // process.hrtime is CLOCK_MONOTONIC on Linux: time since host boot, shared by every process.
  monoMs: () => Number(process.hrtime.bigint() / 1000n) / 1000,
};

export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_KEEP_FILES = 8;

export function checkJournalOptions(options: RiskJournalOptions): void {
  const problem = (message: string): JournalError => new JournalError(journalErrorCodes.options, message, { hint: 'Fix the journal settings in the guard configuration.' });
  if (!new RegExp(UNIT_ID_PATTERN, 'u').test(options.unitId)) throw problem(`unit id "${options.unitId}" does not match ${UNIT_ID_PATTERN}`);
  if (options.maxBytes !== undefined && (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 1024)) throw problem(`maxBytes must be an integer ≥ 1024, got ${options.maxBytes}`);
  if (options.keepFiles !== undefined && (!Number.isSafeInteger(options.keepFiles) || options.keepFiles < 1)) throw problem(`keepFiles must be an integer ≥ 1, got ${options.keepFiles}`);
  const fsync = options.fsync;
  if (fsync !== undefined && fsync !== 'every-record' && (!Number.isFinite(fsync.intervalMs) || fsync.intervalMs <= 0)) throw problem(`fsync.intervalMs must be > 0, got ${fsync.intervalMs}`);
}

