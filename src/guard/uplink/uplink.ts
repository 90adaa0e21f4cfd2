import { isMedicError } from '../../core/errors.js';
import { logInfo, logWarn, silentLogger, type Logger } from '../../core/logger.js';
import { sleep } from '../../core/time.js';
import { UNIT_ID_PATTERN } from '../events/event-types.js';
import type { RiskEvent } from '../events/event.js';
import type { RiskJournal } from '../journal/risk-journal.js';
import { createBackoff, DEFAULT_RETRY, type RetryPolicy } from './backoff.js';
import { errorText, UplinkError, uplinkErrorCodes } from './errors.js';
import { createHttpTransport } from './http-transport.js';
import { createMqttTransport } from './mqtt-transport.js';
import type { UplinkTransport } from './transport.js';
import { batchRefusalOf, DEFAULT_TOPIC_PREFIX, type ServerAnswer, type ServerRefusal } from './wire-format.js';

// Store and forward (issue #5): the journal is the store, its acknowledgement cursor the only
// state. The cursor moves only after the server's answer, so a restart or a host power cut resends
// at most the batch that was in flight (the server keeps the first copy, keyed by unit + seq), and
// one batch at a time keeps the events in order on the wire.

export type UplinkTransportOptions =
  | { readonly kind: 'mqtt'; readonly url: string; readonly username?: string; readonly password?: string; readonly topicPrefix?: string }
  | { readonly kind: 'http'; readonly url: string; readonly secret: string };

export interface UplinkClock {
  now(): Date;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: UplinkClock = { now: () => new Date(), sleep };

/** What the uplink needs of the journal. */
export type UplinkJournal = Pick<RiskJournal, 'unitId' | 'durableSeq' | 'readFrom' | 'acknowledge' | 'pending'>;

export interface UplinkOptions {
  readonly journal: UplinkJournal;
  /** The unit id the uplink logs in and publishes as (normally the journal's). */
  readonly unit: string;
  readonly transport: UplinkTransportOptions;
  /** Events per message. Default 100. */
  readonly batchMax?: number;
  readonly retry?: RetryPolicy;
  /** How long to wait for a connection or an answer. Default 15 s. */
  readonly timeoutMs?: number;
  /** How often to look for new events on disk when idle (the journal has no notify hook). Default 1 s. */
  readonly pollMs?: number;
  readonly clock?: UplinkClock;
  readonly logger?: Logger;
}

export interface UplinkStatus {
  readonly transport: 'mqtt' | 'http';
  readonly server: string;
  readonly connected: boolean;
  readonly closed: boolean;
  /** Last time the server confirmed a batch (ISO 8601). */
  readonly lastSuccessAt?: string;
  /** Highest seq the server confirmed. */
  readonly acknowledged: number;
  readonly lastSeq: number;
  /** Events written but not confirmed yet. */
  readonly pending: number;
  /** Events the server confirmed since the uplink started (stored now or before). */
  readonly delivered: number;
  /** Failed attempts since the last success. */
  readonly failures: number;
  readonly nextAttemptAt?: string;
  readonly lastError?: { readonly code: string; readonly message: string; readonly hint?: string; readonly at: string };
  /** Events the server refused one by one (invalid-event, seq-conflict) and the uplink went past. */
  readonly skipped: number;
  readonly lastRefusal?: ServerRefusal & { readonly at: string };
}

export interface Uplink {
  status(): UplinkStatus;
  /** Sends what is on disk now, skipping any backoff wait; resolves when nothing is pending or an attempt failed. */
  flushNow(): Promise<UplinkStatus>;
  /** Lets a batch in flight on a live connection finish (at most timeoutMs), says `offline` (MQTT) and stops. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_BATCH_MAX = 100;
const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_POLL_MS = 1000;

function optionsError(message: string): UplinkError {
  return new UplinkError(uplinkErrorCodes.options, message, { hint: 'Fix the [uplink] settings in the guard configuration.' });
}

function checkOptions(options: UplinkOptions): void {
  if (!new RegExp(UNIT_ID_PATTERN, 'u').test(options.unit)) throw optionsError(`unit id "${options.unit}" does not match ${UNIT_ID_PATTERN}`);
  const positive = (name: string, value: number | undefined, integer: boolean): void => {
    if (value !== undefined && (!Number.isFinite(value) || value <= 0 || (integer && !Number.isSafeInteger(value)))) throw optionsError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  };
  positive('batchMax', options.batchMax, true);
  positive('timeoutMs', options.timeoutMs, false);
  positive('pollMs', options.pollMs, false);
}

function makeTransport(options: UplinkOptions, timeoutMs: number, logger: Logger): UplinkTransport {
  const { transport, unit } = options;
  if (transport.kind === 'http') return createHttpTransport({ url: transport.url, unit, secret: transport.secret, timeoutMs });
  return createMqttTransport({
    url: transport.url,
    unit,
    topicPrefix: transport.topicPrefix ?? DEFAULT_TOPIC_PREFIX,
    timeoutMs,
    logger,
    ...(transport.username === undefined ? {} : { username: transport.username }),
    ...(transport.password === undefined ? {} : { password: transport.password }),
  });
}

/** Starts sending the journal's unacknowledged events to the fleet server, in order, and keeps at it. */
export function startUplink(options: UplinkOptions): Uplink {
  checkOptions(options);
  const backoff = createBackoff(options.retry ?? DEFAULT_RETRY);
  const logger = options.logger ?? silentLogger;
  const transport = makeTransport(options, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, logger);
  return new UplinkLoop(options, transport, { backoff, logger });
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Progress = Pick<Mutable<UplinkStatus>, 'delivered' | 'failures' | 'skipped'> & Partial<Pick<Mutable<UplinkStatus>, 'lastSuccessAt' | 'nextAttemptAt' | 'lastError' | 'lastRefusal'>>;

class UplinkLoop implements Uplink {
  readonly #journal: UplinkJournal;
  readonly #unit: string;
  readonly #server: string;
  readonly #transport: UplinkTransport;
  readonly #backoff: ReturnType<typeof createBackoff>;
  readonly #clock: UplinkClock;
  readonly #logger: Logger;
  readonly #pollMs: number;
  readonly #stop = new AbortController();
  readonly #progress: Progress = { delivered: 0, failures: 0, skipped: 0 };
  readonly #flushers: ((status: UplinkStatus) => void)[] = [];
  readonly #loop: Promise<void>;
  #batchMax: number;
  #wake: AbortController = new AbortController();
  #woken = false;
  #closed = false;

  constructor(options: UplinkOptions, transport: UplinkTransport, parts: { backoff: ReturnType<typeof createBackoff>; logger: Logger }) {
    this.#journal = options.journal;
    this.#unit = options.unit;
    this.#server = options.transport.url;
    this.#transport = transport;
    this.#backoff = parts.backoff;
    this.#logger = parts.logger;
    this.#clock = options.clock ?? realClock;
    this.#pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.#batchMax = options.batchMax ?? DEFAULT_BATCH_MAX;
    this.#loop = this.#run();
  }

  status(): UplinkStatus {
    const pending = this.#journal.pending();
    return {
      transport: this.#transport.kind,
      server: this.#server,
      connected: this.#transport.connected,
      closed: this.#closed,
      acknowledged: pending.acknowledged,
      lastSeq: pending.lastSeq,
      pending: pending.count,
      ...this.#progress,
    };
  }

  flushNow(): Promise<UplinkStatus> {
    if (this.#closed) return Promise.resolve(this.status());
    const done = new Promise<UplinkStatus>((resolve) => this.#flushers.push(resolve));
    this.#woken = true;
    this.#wake.abort();
    return done;
  }

  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      // A batch in flight on a live connection gets its answer (at most timeoutMs), so a clean
      // restart resends nothing; an attempt still connecting to an absent server is dropped.
      if (!this.#transport.connected) this.#stop.abort();
      this.#wake.abort();
    }
    await this.#loop;
  }

  async #run(): Promise<void> {
    try {
      while (!this.#closed) {
        if (this.#journal.durableSeq <= this.#journal.pending().acknowledged) {
          this.#settleFlushers();
          await this.#wait(this.#pollMs);
          continue;
        }
        try {
          await this.#sendBatch();
        } catch (error) {
          // Closing: a cancelled or failed last attempt is no outage to report.
          if (this.status().closed) break;
          const delay = this.#failed(error);
          this.#settleFlushers();
          await this.#wait(delay);
          delete this.#progress.nextAttemptAt;
        }
      }
    } finally {
      await this.#transport.close().catch((error: unknown) => {
        logWarn(this.#logger, `uplink: closing the connection failed: ${errorText(error)}`);
      });
      this.#settleFlushers();
    }
  }

  /** Waits `ms` of the clock, or less when woken (flushNow) or closed. */
  async #wait(ms: number): Promise<void> {
    if (this.#woken || this.#closed) {
      this.#woken = false;
      return;
    }
    this.#wake = new AbortController();
    await this.#clock.sleep(ms, this.#wake.signal).catch(() => undefined);
    this.#woken = false;
  }

  async #readBatch(): Promise<RiskEvent[]> {
    const batch: RiskEvent[] = [];
    for await (const event of this.#journal.readFrom(this.#journal.pending().acknowledged + 1)) {
      batch.push(event);
      if (batch.length >= this.#batchMax) break;
    }
    return batch;
  }

  async #sendBatch(): Promise<void> {
    const batch = await this.#readBatch();
    const last = batch.at(-1);
    if (last === undefined) {
      // On disk by the sequence, but no record left: rotation deleted them (the journal warned).
      const durable = this.#journal.durableSeq;
      logWarn(this.#logger, `uplink: events up to ${durable} are no longer in the journal (rotated away before the server had them)`);
      await this.#journal.acknowledge(durable);
      return;
    }
    const answer = await this.#transport.send(batch, this.#stop.signal);
    const refusal = batchRefusalOf(answer);
    if (refusal !== undefined) {
      if (refusal.reason === 'oversized' && this.#batchMax > 1) {
        this.#batchMax = Math.ceil(this.#batchMax / 2);
        logWarn(this.#logger, `uplink: the server refused a batch of ${batch.length} as too large; sending ${this.#batchMax} at a time`);
        return;
      }
      throw this.#refusalError(refusal);
    }
    this.#skipRefused(answer);
    // The server has the batch whatever happens to the cursor write: count it first, so status()
    // never shows the cursor ahead of the count.
    if (this.#progress.failures > 0) logInfo(this.#logger, `uplink: the server is back after ${this.#progress.failures} failed attempt(s)`);
    this.#progress.failures = 0;
    this.#progress.delivered += answer.accepted + answer.duplicates;
    this.#progress.lastSuccessAt = this.#clock.now().toISOString();
    this.#backoff.reset();
    await this.#journal.acknowledge(last.seq);
  }

  /**
   * Events the server refuses one by one cannot get better by resending: the journal validated
   * them when they were written (invalid-event then means the server runs an older schema), and a
   * seq-conflict means the server holds another event under that seq (a journal directory wiped
   * and started again). Blocking the queue behind them would lose everything after them, so they
   * are acknowledged with the batch, logged, and counted in status() for `medic guard status`.
   * They are not written back to the journal as events: a server that refuses events could refuse
   * those too, and the journal would fill with reports about reports.
   */
  #skipRefused(answer: ServerAnswer): void {
    if (answer.refused.length === 0) return;
    const at = this.#clock.now().toISOString();
    this.#progress.skipped += answer.refused.length;
    for (const refusal of answer.refused) {
      logWarn(this.#logger, `uplink: the server refused event ${refusal.seq ?? '?'} (${refusal.reason}: ${refusal.detail}); skipped`, { seq: refusal.seq, reason: refusal.reason });
      this.#progress.lastRefusal = { ...refusal, at };
    }
  }

  #refusalError(refusal: ServerRefusal): UplinkError {
    if (refusal.reason === 'unauthenticated') {
      return new UplinkError(uplinkErrorCodes.unauthenticated, `the fleet server refused unit "${this.#unit}": ${refusal.detail}`, { hint: 'Check the unit id and secret in the guard configuration.' });
    }
    const other = this.#journal.unitId !== this.#unit;
    return new UplinkError(uplinkErrorCodes.refused, `the fleet server refused the batch (${refusal.reason}): ${refusal.detail}`, {
      hint:
        refusal.reason === 'unit-mismatch'
          ? other
            ? `The uplink logs in as "${this.#unit}" but the journal is unit "${this.#journal.unitId}": use that unit's id and secret.`
            : 'The credentials or topic name another unit than the events: use this unit\'s own id and secret.'
          : 'Nothing of the batch was stored; the guard retries. Report this with the server log if it persists.',
      details: { reason: refusal.reason },
    });
  }

  /** Records the failure; returns the delay before the next attempt. */
  #failed(error: unknown): number {
    const at = this.#clock.now();
    const delay = this.#backoff.next();
    const medic = isMedicError(error) ? error : undefined;
    this.#progress.lastError = {
      code: medic?.code ?? 'UPLINK_ERROR',
      message: errorText(error),
      ...(medic?.hint === undefined ? {} : { hint: medic.hint }),
      at: at.toISOString(),
    };
    this.#progress.failures += 1;
    this.#progress.nextAttemptAt = new Date(at.getTime() + delay).toISOString();
    // One warning per outage, not one per retry: a unit offline for days would fill its own log.
    if (this.#progress.failures === 1) logWarn(this.#logger, `uplink: ${errorText(error)}; retrying with backoff`, { code: this.#progress.lastError.code });
    return delay;
  }

  #settleFlushers(): void {
    const status = this.status();
    for (const resolve of this.#flushers.splice(0)) resolve(status);
  }
}
