import type { FlashStep } from './steps.js';

// Byte totals for progress and an ETA. Reads and writes are counted apart: over EDL a NAND read
// and a NAND program run at different speeds, and erases move no data (they are counted, not
// weighed; ~0.1–0.5 s each per edl-protocols.md §2.6).

export interface PlanTotals {
  /** Backup reads (all of them) plus read-back. */
  readonly readBytes: number;
  /** Program data sent, whole sectors. */
  readonly writeBytes: number;
  readonly backupBytes: number;
  readonly verifyBytes: number;
  readonly erases: number;
  /** readBytes + writeBytes: the denominator for a single progress bar. */
  readonly bytes: number;
  readonly steps: number;
}

export function planTotals(steps: readonly FlashStep[]): PlanTotals {
  let backupBytes = 0;
  let verifyBytes = 0;
  let writeBytes = 0;
  let erases = 0;
  for (const step of steps) {
    if (step.kind === 'backup') backupBytes += step.bytes;
    else if (step.kind === 'verify') verifyBytes += step.bytes;
    else if (step.kind === 'program') writeBytes += step.bytes;
    else if (step.kind === 'erase') erases += 1;
  }
  const readBytes = backupBytes + verifyBytes;
  return { readBytes, writeBytes, backupBytes, verifyBytes, erases, bytes: readBytes + writeBytes, steps: steps.length };
}

/** Bytes done before step `index` (0-based) starts: for "x of y" and an ETA from the rate so far. */
export function bytesBefore(steps: readonly FlashStep[], index: number): number {
  return steps.slice(0, index).reduce((sum, step) => sum + step.bytes, 0);
}
