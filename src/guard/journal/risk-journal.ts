import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { logWarn, silentLogger, type Logger } from '../../core/logger.js';
import type { EventInput, RiskEvent, RiskEventOf } from '../events/event.js';
import { EVENT_SCHEMA_VERSION, type BootReason } from '../events/event-types.js';
import { EventInvalidError } from '../events/errors.js';
import { checkEventInput, parseEvent } from '../events/validate.js';
import { readAcknowledged, writeAcknowledged } from './ack-store.js';
import { JournalError, journalErrorCodes } from './errors.js';
import { checkJournalOptions, DEFAULT_KEEP_FILES, DEFAULT_MAX_BYTES, defaultClock, type FsyncPolicy, type JournalClock, type RiskJournalOptions } from './journal-options.js';
import { encodeRecord, scanSegment, type BadLine } from './record-format.js';
import { readSegmentIfPresent, recoverTail } from './recover.js';
import { listSegments, segmentName, syncDirectory, type Segment } from './segments.js';
import { newBootSessionId } from './session-id.js';
import { lockJournal } from './writer-lock.js';

export type { FsyncPolicy, JournalClock, RiskJournalOptions } from './journal-options.js';

// The risk journal of `medic guard` (issue #5): append-only JSON lines in size-rotated segments,
// each record with its own CRC (record-format.ts), fsync before a record counts as written.
// It is the one place that hands out sequence numbers and boot-session ids, and it derives both
// from its own files on open, so they survive restarts and host power cuts and never repeat.
// No native dependency (ecosystem-aesthetics.md §2.10).

/** What `open` found and repaired. */
export interface JournalOpenReport {
  readonly segments: number;
  readonly lastSeq: number;
  readonly acknowledged: number;
  /** Records cut off the end of the newest segment (a torn or damaged last write). */
  readonly droppedTail: readonly BadLine[];
  /** Damaged lines inside the newest segment, skipped but left in place. */
  readonly damagedLines: number;
}

export interface PendingSummary {
  /** Highest sequence the server has acknowledged. */
  readonly acknowledged: number;
  /** Highest sequence on disk. */
  readonly lastSeq: number;
  /** Events written but not acknowledged that are still in the journal. */
  readonly count: number;
}

export interface BootSessionStart {
  readonly bootSession: string;
  readonly boot: RiskEventOf<'boot'>;
  /** Present when the previous boot session ended without a graceful shutdown. */
  readonly powerLoss?: RiskEventOf<'power-loss-ungraceful'>;
}

interface SessionState {
  readonly id: string;
  lastSeq: number;
  lastWallTime: string;
  graceful: boolean;
}

export class RiskJournal {
  readonly #dir: string;
  readonly #unitId: string;
  readonly #maxBytes: number;
  readonly #keepFiles: number;
  readonly #fsync: FsyncPolicy;
  readonly #logger: Logger;
  readonly #clock: JournalClock;
  readonly #newId: () => string;
  readonly #segments: Segment[];
  readonly #report: JournalOpenReport;
  #handle: FileHandle;
  #activeSize: number;
  #lastSeq: number;
  #writtenSeq: number;
  #durableSeq: number;
  #acknowledged: number;
  #session: SessionState | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #ackQueue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  readonly #unlock: () => Promise<void>;

  private constructor(
    dir: string,
    options: RiskJournalOptions,
    state: { segments: Segment[]; handle: FileHandle; activeSize: number; lastSeq: number; acknowledged: number; session: SessionState | undefined; report: JournalOpenReport; unlock: () => Promise<void> },
  ) {
    this.#dir = dir;
    this.#unitId = options.unitId;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#keepFiles = options.keepFiles ?? DEFAULT_KEEP_FILES;
    this.#fsync = options.fsync ?? 'every-record';
    this.#logger = options.logger ?? silentLogger;
    this.#clock = options.clock ?? defaultClock;
    this.#newId = options.newBootSessionId ?? newBootSessionId;
    this.#segments = state.segments;
    this.#handle = state.handle;
    this.#activeSize = state.activeSize;
    this.#lastSeq = state.lastSeq;
    this.#writtenSeq = state.lastSeq;
    this.#durableSeq = state.lastSeq;
    this.#acknowledged = state.acknowledged;
    this.#session = state.session;
    this.#report = state.report;
    this.#unlock = state.unlock;
  }

  /**
   * Opens (or creates) the journal in `dir`: drops a torn or damaged tail with a warning, and
   * takes up the sequence, the boot session and the acknowledgement cursor where they were.
   */
  static async open(dir: string, options: RiskJournalOptions): Promise<RiskJournal> {
    checkJournalOptions(options);
    await mkdir(dir, { recursive: true });
    const unlock = await lockJournal(dir);
    try {
      return await RiskJournal.#openLocked(dir, options, unlock);
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  static async #openLocked(dir: string, options: RiskJournalOptions, unlock: () => Promise<void>): Promise<RiskJournal> {
    const logger = options.logger ?? silentLogger;
    const acknowledged = await readAcknowledged(dir, options.unitId, logger);
    const segments = await listSegments(dir);
    const recovered = await recoverTail(segments, logger);
    const last = recovered.last;
    if (last !== undefined && last.event.unit !== options.unitId) {
      throw new JournalError(journalErrorCodes.otherUnit, `the journal in ${dir} belongs to unit "${last.event.unit}", not "${options.unitId}"`, {
        hint: 'Each unit needs its own journal directory; check the unit id and journal path in the guard configuration.',
      });
    }
    // The segment name and the acknowledgement cursor are floors too: a sequence handed out once
    // is never handed out again, even when the records that carried it are gone.
    const active = segments.at(-1);
    const lastSeq = Math.max(last?.event.seq ?? 0, (active?.firstSeq ?? 1) - 1, acknowledged);
    if (active === undefined) segments.push({ firstSeq: lastSeq + 1, path: join(dir, segmentName(lastSeq + 1)) });
    const handle = await open(segments.at(-1)?.path ?? '', 'a');
    // Records an agent killed before its fsync left in the page cache count from now on.
    await handle.datasync();
    if (active === undefined) await syncDirectory(dir);
    const session: SessionState | undefined = last === undefined ? undefined : { id: last.event.bootSession, lastSeq: last.event.seq, lastWallTime: last.event.wallTime, graceful: last.sessionEndedGracefully };
    const report: JournalOpenReport = { segments: segments.length, lastSeq, acknowledged, droppedTail: recovered.droppedTail, damagedLines: recovered.damagedLines };
    return new RiskJournal(dir, options, { segments, handle, activeSize: recovered.activeSize, lastSeq, acknowledged, session, report, unlock });
  }

  get unitId(): string {
    return this.#unitId;
  }

  /** The current boot session, or undefined before the first `startBootSession`. */
  get bootSession(): string | undefined {
    return this.#session?.id;
  }

  /** The highest sequence handed out. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** The highest sequence known to be on disk (fsynced). */
  get durableSeq(): number {
    return this.#durableSeq;
  }

  get openReport(): JournalOpenReport {
    return this.#report;
  }

  /**
   * The module booted: starts a new boot session and records the boot. When the previous session
   * did not end with `shutdown-graceful`, a `power-loss-ungraceful` event follows the boot.
   */
  async startBootSession(reason: BootReason, detail?: string): Promise<BootSessionStart> {
    this.#checkOpen();
    const previous = this.#session;
    this.#session = { id: this.#newId(), lastSeq: 0, lastWallTime: '', graceful: false };
    const boot = this.#record({ type: 'boot', data: detail === undefined ? { reason } : { reason, detail } });
    const powerLoss =
      previous === undefined || previous.graceful
        ? undefined
        : this.#record({
            type: 'power-loss-ungraceful',
            data: { previousBootSession: previous.id, previousLastSeq: previous.lastSeq, previousLastWallTime: previous.lastWallTime, bootReason: reason },
          });
    const bootEvent = (await boot) as RiskEventOf<'boot'>;
    const lossEvent = (await powerLoss) as RiskEventOf<'power-loss-ungraceful'> | undefined;
    return lossEvent === undefined ? { bootSession: bootEvent.bootSession, boot: bootEvent } : { bootSession: bootEvent.bootSession, boot: bootEvent, powerLoss: lossEvent };
  }

  /** Records one event in the current boot session; resolves with the event as written. */
  async append(input: EventInput): Promise<RiskEvent> {
    // Everything up to #record runs synchronously, so sequences follow the order of the calls.
    this.#checkOpen();
    const check = checkEventInput(input);
    if (!check.ok) throw new EventInvalidError(check.path, check.reason);
    if (check.event.type === 'boot' || check.event.type === 'power-loss-ungraceful') {
      throw new JournalError(journalErrorCodes.reservedType, `"${check.event.type}" events are written by startBootSession, not append`, {
        hint: 'Call startBootSession(reason) when the module boots: it starts the boot session and records any ungraceful power loss before it.',
      });
    }
    if (this.#session === undefined) {
      throw new JournalError(journalErrorCodes.noBootSession, 'no boot session yet: the journal is new and no boot has been recorded', {
        hint: 'Call startBootSession(reason) when the module boots (or with "unknown" when the guard finds it already running).',
      });
    }
    return this.#record(check.event);
  }

  /** Waits until every record appended so far is on disk. */
  async flush(): Promise<void> {
    this.#checkOpen();
    await this.#enqueue(() => this.#sync());
  }

  /**
   * The events from sequence `seq` on, oldest first, up to the last one on disk when the
   * iteration started. Events rotated away are skipped: the sequence then jumps.
   */
  async *readFrom(seq: number): AsyncGenerator<RiskEvent, void, undefined> {
    const limit = this.#durableSeq;
    const segments = [...this.#segments];
    let startIndex = 0;
    segments.forEach((segment, index) => {
      if (segment.firstSeq <= seq) startIndex = index;
    });
    let previous = seq - 1;
    for (const segment of segments.slice(startIndex)) {
      const bytes = await readSegmentIfPresent(segment);
      if (bytes === undefined) continue;
      for (const { event } of scanSegment(bytes).records) {
        if (event.seq > limit) return;
        if (event.seq <= previous) continue;
        previous = event.seq;
        yield event;
      }
    }
  }

  /** The server has every event up to `seq`: persisted, so a restart resumes after it. */
  async acknowledge(seq: number): Promise<void> {
    this.#checkOpen();
    if (!Number.isSafeInteger(seq) || seq < 0) throw new JournalError(journalErrorCodes.options, `cannot acknowledge sequence ${seq}`, { hint: 'Acknowledge the `seq` of an event the server confirmed.' });
    if (seq > this.#lastSeq) {
      throw new JournalError(journalErrorCodes.ackAhead, `cannot acknowledge sequence ${seq}: the journal has only reached ${this.#lastSeq}`, {
        hint: 'The server confirmed an event this unit never wrote: check that the uplink and the journal use the same unit id.',
      });
    }
    if (seq <= this.#acknowledged) return;
    this.#acknowledged = seq;
    const write = this.#ackQueue.then(() => writeAcknowledged(this.#dir, this.#unitId, seq));
    this.#ackQueue = write.catch(() => undefined);
    await write;
  }

  pending(): PendingSummary {
    const oldestKept = this.#segments[0]?.firstSeq ?? 1;
    const from = Math.max(this.#acknowledged, oldestKept - 1);
    return { acknowledged: this.#acknowledged, lastSeq: this.#lastSeq, count: Math.max(0, this.#lastSeq - from) };
  }

  /** Writes and fsyncs what is queued and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      await this.#queue.then(() => this.#sync());
      await this.#ackQueue;
    } finally {
      await this.#handle.close();
      await this.#unlock();
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new JournalError(journalErrorCodes.closed, 'the journal is closed', { hint: 'Open it again with RiskJournal.open().' });
  }

  /** Hands out the next sequence now (so the order is the call order) and queues the write. */
  #record(input: EventInput): Promise<RiskEvent> {
    const session = this.#session;
    if (session === undefined) throw new JournalError(journalErrorCodes.noBootSession, 'no boot session');
    const wallTime = this.#clock.wallTime().toISOString();
    const event = parseEvent({
      schema: EVENT_SCHEMA_VERSION,
      unit: this.#unitId,
      bootSession: session.id,
      seq: this.#lastSeq + 1,
      wallTime,
      monoMs: Math.max(0, this.#clock.monoMs()),
      type: input.type,
      data: input.data,
    });
    this.#lastSeq = event.seq;
    session.lastSeq = event.seq;
    session.lastWallTime = wallTime;
    if (event.type === 'shutdown-graceful') session.graceful = true;
    const bytes = encodeRecord(event);
    return this.#enqueue(() => this.#write(event.seq, bytes)).then(() => event);
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #write(seq: number, bytes: Buffer): Promise<void> {
    if (this.#activeSize > 0 && this.#activeSize + bytes.length > this.#maxBytes) await this.#rotate(seq);
    try {
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesWritten } = await this.#handle.write(bytes, offset, bytes.length - offset);
        offset += bytesWritten;
      }
      this.#activeSize += bytes.length;
      this.#writtenSeq = seq;
      if (this.#fsync === 'every-record') await this.#sync();
      else this.#scheduleSync(this.#fsync.intervalMs);
    } catch (error) {
      throw new JournalError(journalErrorCodes.io, `could not write event ${seq} to the journal: ${error instanceof Error ? error.message : String(error)}`, {
        hint: 'Check the journal directory: free space, permissions, a read-only or failing filesystem.',
        cause: error,
      });
    }
  }

  async #sync(): Promise<void> {
    const target = this.#writtenSeq;
    if (target <= this.#durableSeq) return;
    await this.#handle.datasync();
    this.#durableSeq = Math.max(this.#durableSeq, target);
  }

  #scheduleSync(intervalMs: number): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#closed) this.#enqueue(() => this.#sync()).catch((error: unknown) => {
        logWarn(this.#logger, 'journal: fsync failed', { error: error instanceof Error ? error.message : String(error) });
      });
    }, intervalMs);
    this.#timer.unref();
  }

  async #rotate(firstSeq: number): Promise<void> {
    await this.#sync();
    await this.#handle.close();
    const segment = { firstSeq, path: join(this.#dir, segmentName(firstSeq)) };
    this.#handle = await open(segment.path, 'a');
    this.#activeSize = 0;
    this.#segments.push(segment);
    while (this.#segments.length > this.#keepFiles) {
      const oldest = this.#segments.shift();
      const next = this.#segments[0];
      if (oldest === undefined || next === undefined) break;
      const unacknowledged = next.firstSeq - 1 - Math.max(this.#acknowledged, oldest.firstSeq - 1);
      if (unacknowledged > 0) {
        logWarn(this.#logger, `journal: rotation deletes ${oldest.path} with ${unacknowledged} event(s) the server has not acknowledged (keepFiles ${this.#keepFiles})`, {
          file: oldest.path,
          lost: unacknowledged,
        });
      }
      await unlink(oldest.path).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      });
    }
    await syncDirectory(this.#dir);
  }
}
