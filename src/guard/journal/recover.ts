import { open, readFile } from 'node:fs/promises';
import { logWarn, type Logger } from '../../core/logger.js';
import type { RiskEvent } from '../events/event.js';
import { scanSegment, type BadLine, type ScannedRecord } from './record-format.js';
import type { Segment } from './segments.js';

// What opening a journal after a crash or a power cut needs: the newest segment with its torn or
// damaged tail cut off (so the next append starts on a clean line), and the last event with the
// state of its boot session (did it end with a graceful shutdown?).

export async function readSegmentIfPresent(segment: Segment): Promise<Buffer | undefined> {
  try {
    return await readFile(segment.path);
  } catch (error) {
    // Rotation may delete the oldest segment while a reader is behind it.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export interface RecoveredTail {
  readonly last?: { readonly event: RiskEvent; readonly sessionEndedGracefully: boolean };
  /** Size of the newest segment after the repair. */
  readonly activeSize: number;
  readonly droppedTail: readonly BadLine[];
  readonly damagedLines: number;
}

/** Whether the boot session of the newest event recorded a graceful shutdown, read backwards. */
async function lastSession(segments: readonly Segment[], newest: readonly ScannedRecord[]): Promise<RecoveredTail['last']> {
  let last: RiskEvent | undefined;
  for (let index = segments.length - 1; index >= 0; index -= 1) {
    const segment = segments[index];
    if (segment === undefined) continue;
    const records = index === segments.length - 1 ? newest : scanSegment((await readSegmentIfPresent(segment)) ?? Buffer.alloc(0)).records;
    for (let r = records.length - 1; r >= 0; r -= 1) {
      const event = records[r]?.event;
      if (event === undefined) continue;
      last ??= event;
      if (event.type === 'shutdown-graceful' && event.bootSession === last.bootSession) return { event: last, sessionEndedGracefully: true };
      if (event.bootSession !== last.bootSession || event.type === 'boot') return { event: last, sessionEndedGracefully: false };
    }
  }
  return last === undefined ? undefined : { event: last, sessionEndedGracefully: false };
}

/** Scans the newest segment, truncates what follows its last valid record, finds the last event. */
export async function recoverTail(segments: readonly Segment[], logger: Logger): Promise<RecoveredTail> {
  const active = segments.at(-1);
  if (active === undefined) return { activeSize: 0, droppedTail: [], damagedLines: 0 };
  const bytes = (await readSegmentIfPresent(active)) ?? Buffer.alloc(0);
  const scan = scanSegment(bytes);
  const droppedTail = scan.bad.filter((line) => line.start >= scan.validEnd);
  const damagedLines = scan.bad.length - droppedTail.length;
  if (scan.validEnd < bytes.length) {
    const handle = await open(active.path, 'r+');
    try {
      await handle.truncate(scan.validEnd);
      await handle.sync();
    } finally {
      await handle.close();
    }
    logWarn(logger, `journal: dropped ${droppedTail.length} torn or damaged record(s) at the end of ${active.path} (${bytes.length - scan.validEnd} bytes); every record before them is intact`, {
      file: active.path,
      reasons: droppedTail.map((line) => line.reason),
    });
  }
  if (damagedLines > 0) logWarn(logger, `journal: ${damagedLines} damaged record(s) inside ${active.path} are skipped`, { file: active.path });
  const last = await lastSession(segments, scan.records);
  return last === undefined ? { activeSize: scan.validEnd, droppedTail, damagedLines } : { last, activeSize: scan.validEnd, droppedTail, damagedLines };
}
