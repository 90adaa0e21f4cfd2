import type { FlashProgress } from '../execute/progress.js';

// What `medic flash --all` works with: the units it found, what it tells its caller while they
// run (events, never prints), and how each one ended.

export interface SysfsView {
  /** The sysfs mount (default /sys), or a simulator's <state>/sys. */
  readonly sysfsRoot: string;
  /** Where that tree's tty nodes live (default /dev, or the simulator's <state>/dev). */
  readonly devRoot: string;
}

export interface BatchUnit {
  /** Names the unit in events and the summary: its USB path, made unique across sysfs views. */
  readonly id: string;
  /** The kernel USB path (a slot on the bench), e.g. 1-1.2. */
  readonly usbPath: string;
  readonly mode: 'edl' | 'normal';
  /** The 9008 port (EDL); the DM port for a unit still in normal mode. */
  readonly port: string;
  /** Normal mode only: where to read revision and IMEI before the switch. */
  readonly atPort?: string | undefined;
  readonly view: SysfsView;
}

/**
 * verified/flashed: done. refused: nothing was written. failed-recoverable: written part-way,
 * falls back to 9008, backup on disk. failed: could not be reached or talked to at all.
 */
export type UnitOutcome = 'verified' | 'flashed' | 'refused' | 'failed-recoverable' | 'failed';

export interface UnitIdentityFound {
  readonly imei?: string;
  /** Chip serial, 8 hex digits. */
  readonly serial?: string;
}

export interface UnitResult {
  readonly unit: BatchUnit;
  readonly outcome: UnitOutcome;
  readonly identity: UnitIdentityFound;
  /** The module's revision before the flash, when known (AT, or the batch's --module-revision). */
  readonly revisionBefore: string | undefined;
  /** The package's revision once it is on the module. */
  readonly revisionAfter: string | undefined;
  readonly seconds: number;
  readonly backupDirectory: string | undefined;
  readonly logFile: string;
  /** The error's code, message and hint, for anything but verified/flashed. */
  readonly error: { readonly code: string; readonly message: string; readonly hint?: string } | undefined;
  /** What to do next with this unit, in a sentence; undefined when nothing is needed. */
  readonly next: string | undefined;
  /** What was done, in order (for the rework log). */
  readonly actions: readonly string[];
}

export type BatchEvent =
  /** First: the batch's id, its units and the package revision ('' when the package was refused). */
  | { readonly type: 'batch'; readonly batchId: string; readonly units: readonly BatchUnit[]; readonly revision: string }
  | { readonly type: 'start'; readonly unit: BatchUnit; readonly logFile: string }
  | { readonly type: 'step'; readonly unit: BatchUnit; readonly message: string }
  | { readonly type: 'progress'; readonly unit: BatchUnit; readonly progress: FlashProgress }
  | { readonly type: 'done'; readonly result: UnitResult };

export interface BatchSummary {
  /** Shared by this run's log files and rework records. */
  readonly batchId: string;
  readonly revision: string;
  readonly results: readonly UnitResult[];
  readonly seconds: number;
  /** Units by outcome. */
  readonly counts: Readonly<Record<UnitOutcome, number>>;
}
