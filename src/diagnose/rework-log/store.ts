import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ReworkLogError, reworkLogErrorCodes } from './errors.js';
import { reworkLogPath, type ReworkLogLocation } from './location.js';
import { checkReworkRecord, REWORK_SCHEMA_VERSION, type ReworkRecord, type ReworkRecordInput } from './record.js';

// The rework log is append-only JSON lines, one record per line, each line written with a single
// write(2) on an O_APPEND descriptor and fsync'd before the append counts (so parallel units of a
// batch, and two medic processes, never interleave inside a line). A power cut can leave the last
// line torn; the next append starts on a fresh line, and readers skip a line that does not parse
// and say so — the same tolerance as the guard's journal (src/guard/journal/record-format.ts),
// which this layer may not import (DESIGN.md layering: diagnose is below guard). Unlike the
// journal, nothing is truncated: the file is the user's record and is only ever appended to.

export const TOOL_NAME = 'modem-medic';

export interface AppendOptions extends ReworkLogLocation {
  /** The tool version for records that do not name one. */
  readonly toolVersion?: string;
}

// Appends from one process are queued per file: a batch's units finish at the same time.
const queues = new Map<string, Promise<unknown>>();

/** Appends one record (fsync'd) and returns it as stored. */
export async function appendReworkRecord(input: ReworkRecordInput, options: AppendOptions = {}): Promise<ReworkRecord> {
  const file = reworkLogPath(options);
  const { time, tool, unit, revision, observations, actions, ...rest } = input;
  const record: ReworkRecord = {
    schema: REWORK_SCHEMA_VERSION,
    id: randomUUID(),
    time: (time ?? new Date()).toISOString(),
    tool: tool ?? { name: TOOL_NAME, version: options.toolVersion ?? 'unknown' },
    ...rest,
    unit: unit ?? {},
    revision: revision ?? {},
    observations: observations ?? {},
    actions: actions ?? [],
  };
  const check = checkReworkRecord(JSON.parse(JSON.stringify(record)));
  if (!check.ok) throw new ReworkLogError(reworkLogErrorCodes.unwritable, `a rework record for ${file} is malformed: ${check.reason}`, { hint: 'This is a bug in the caller; please report it.' });
  const previous = queues.get(file) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => appendLine(file, `${JSON.stringify(record)}\n`));
  queues.set(file, next);
  try {
    await next;
  } finally {
    if (queues.get(file) === next) queues.delete(file);
  }
  return record;
}

async function appendLine(file: string, line: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    const handle = await open(file, 'a+');
    try {
      const { size } = await handle.stat();
      let bytes = Buffer.from(line, 'utf8');
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        // A torn last line (no newline): keep it, on a line of its own, and start ours cleanly.
        if (last[0] !== 0x0a) bytes = Buffer.concat([Buffer.from('\n'), bytes]);
      }
      await handle.write(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new ReworkLogError(reworkLogErrorCodes.unwritable, `the rework log ${file} could not be written: ${error instanceof Error ? error.message : String(error)}`, {
      hint: `Check that ${dirname(file)} is writable, or point --rework-log (or $MEDIC_REWORK_LOG) at another file.`,
      cause: error,
    });
  }
}

export interface SkippedLine {
  /** 1-based. */
  readonly line: number;
  readonly reason: string;
  /** The last line, without its newline: a write cut short (power cut, crash). */
  readonly torn: boolean;
}

export interface ReworkLogContents {
  readonly file: string;
  readonly records: readonly ReworkRecord[];
  readonly skipped: readonly SkippedLine[];
  /** False when there is no log yet (no run recorded). */
  readonly exists: boolean;
}

/** Every readable record, oldest first, and the lines that were skipped. */
export async function readReworkLog(location: ReworkLogLocation = {}): Promise<ReworkLogContents> {
  const file = reworkLogPath(location);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, records: [], skipped: [], exists: false };
    throw new ReworkLogError(reworkLogErrorCodes.unreadable, `the rework log ${file} could not be read: ${error instanceof Error ? error.message : String(error)}`, { hint: 'Check the file\'s permissions, or give another one with --file.', cause: error });
  }
  const records: ReworkRecord[] = [];
  const skipped: SkippedLine[] = [];
  const lines = text.split('\n');
  const endsClean = text.endsWith('\n') || text === '';
  for (const [index, line] of lines.entries()) {
    const isLast = index === lines.length - 1;
    if (line.trim() === '') continue;
    const torn = isLast && !endsClean;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped.push({ line: index + 1, reason: torn ? 'the last record was cut short (no newline, not whole JSON)' : 'not JSON', torn });
      continue;
    }
    const check = checkReworkRecord(value);
    if (check.ok) records.push(check.record);
    else skipped.push({ line: index + 1, reason: check.reason, torn });
  }
  return { file, records, skipped, exists: true };
}
