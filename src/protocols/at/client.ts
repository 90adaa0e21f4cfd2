// The host side of an AT port: one command in flight, a FIFO queue behind it, URCs routed to
// subscribers (urc.ts), and a resync after every command that ended without its final result, so
// that a late answer is never taken for the next command's.
//
// Resync (after a timeout, a cancel, a restart or a failed write), before the next command:
//   1. the half-received line is thrown away;
//   2. wait until the port has been quiet for `quietMs` (at most `quietMaxMs`);
//   3. send `AT` and expect OK (up to `resyncAttempts` times);
//   4. wait for quiet again: the OK taken in step 3 may have been the abandoned command's late
//      final, and the probe's own OK is then still on its way.
// While a resync is pending or running, catalogued URCs still reach subscribers; other lines and
// stray finals are the abandoned command's late answer and are discarded (logged at debug).
// Left open: an answer that arrives later than the quiet period after the probe's OK would still
// be taken for the next command's. The quiet period is the knob; a real EC25 answers within the
// manual's time or not at all.

import { UsageError } from '../../core/errors.js';
import { logDebug, logWarn, silentLogger, type Logger } from '../../core/logger.js';
import { monotonicMs, sleep, toCancelled } from '../../core/time.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { TransportClosedError } from '../../transport/errors.js';
import type { AtCommand } from './commands/command.js';
import { AtCommandError, AtNotAModemError, AtTimeoutError, ModuleRebootedError } from './errors.js';
import { LineFramer, type FrameEvent } from './framing.js';
import type { AtResponse } from './response.js';
import { isSuccess, type FinalResult } from './result-codes.js';
import { TaskQueue } from './task-queue.js';
import { defaultTimeoutMs } from './timeouts.js';
import { responsePrefixes, routeLine, URC_CATALOGUE, type Urc, type UrcEntry } from './urc.js';

export type TraceDirection = 'tx' | 'rx';
/** Sees every byte written and read, for hex-dump traces (trace.ts). */
export type TraceHook = (direction: TraceDirection, bytes: Uint8Array) => void;
export type UrcListener = (urc: Urc) => void;

export interface AtClientOptions {
  readonly logger?: Logger;
  readonly trace?: TraceHook;
  /** Which lines count as URCs (urc.ts); URC_CATALOGUE by default. */
  readonly urcCatalogue?: readonly UrcEntry[];
  readonly maxLineBytes?: number;
  /** Resync: how long the port must stay silent before and after the probe. Default 100 ms. */
  readonly quietMs?: number;
  /** Resync: stop waiting for silence after this long (a port that never stops talking). Default 2000 ms. */
  readonly quietMaxMs?: number;
  /** Time budget of each resync or sync() probe. Default: AT's budget (timeouts.ts). */
  readonly probeTimeoutMs?: number;
  /** Probes per resync before the next command fails. Default 3. */
  readonly resyncAttempts?: number;
}

export interface SendOptions {
  /** Default: the manual's maximum response time plus the host allowance (timeouts.ts). */
  readonly timeoutMs?: number;
  /** Cancels the command: a queued one is removed, an in-flight one fails and the client resyncs. */
  readonly signal?: AbortSignal;
  /** Prefix(es) of the response's information lines; `[]` for none. Derived from the command when absent. */
  readonly responsePrefix?: string | readonly string[];
  /**
   * Text to send when the module prompts with "> " (AT+CMGS/AT+CMGW), terminated by Ctrl-Z.
   * Without it a prompt is cancelled with ESC, so the port is never left in text-entry mode.
   */
  readonly payload?: string;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface SyncOptions {
  /** Probes before giving up. Default 5. */
  readonly attempts?: number;
  /** Time budget of each probe. Default: the client's probeTimeoutMs. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface SyncResult {
  /** The probe that got OK (1 = the first). */
  readonly attempts: number;
  /** Whether the module echoed the probe (ATE1, the power-on default). */
  readonly echo: boolean;
}

export interface WaitForUrcOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** What is awaited, for the timeout message: "POWERED DOWN". */
  readonly what?: string;
  /** Hint of the timeout error. */
  readonly hint?: string;
}

interface Exchange {
  readonly command: string;
  readonly prefixes: readonly string[];
  readonly lines: string[];
  echoPending: boolean;
  payload: string | undefined;
  settle(outcome: Outcome): void;
}

type Outcome = { readonly final: FinalResult } | { readonly error: Error; readonly dirty: boolean };

interface ExchangeResult {
  readonly lines: readonly string[];
  readonly final: FinalResult;
  readonly echo: boolean;
}

interface PendingUrc {
  readonly line: string;
  readonly name: string;
  remaining: number;
  readonly data: string[];
}

const encoder = new TextEncoder();
const CTRL_Z = 0x1a;
const ESC = Uint8Array.of(0x1b);
const SAMPLE_BYTES = 64;

/**
 * An AT command port. Construct it over an open ByteTransport; it starts reading at once (URCs
 * flow to onUrc subscribers even before the first command). Call sync() first on a port just
 * opened, close() when done (it closes the transport).
 */
export class AtClient {
  readonly #transport: ByteTransport;
  readonly #logger: Logger;
  readonly #trace: TraceHook | undefined;
  readonly #catalogue: readonly UrcEntry[];
  readonly #framer: LineFramer;
  readonly #queue: TaskQueue;
  readonly #quietMs: number;
  readonly #quietMaxMs: number;
  readonly #probeTimeoutMs: number;
  readonly #resyncAttempts: number;
  readonly #urcListeners = new Set<UrcListener>();
  readonly #endListeners = new Set<(error: Error) => void>();
  readonly #readLoop: Promise<void>;

  #exchange: Exchange | undefined;
  #pendingUrc: PendingUrc | undefined;
  /** The port may still carry an abandoned command's answer: resync before the next command. */
  #dirty = false;
  /** Resync between tasks; off after a failed sync(), whose port may not be an AT port at all. */
  #eagerResync = true;
  #draining = false;
  /** A "> " prompt was answered and no final has come yet: the module may be in text entry. */
  #promptOpen = false;
  #ended: Error | undefined;
  #lastRxAt = Number.NEGATIVE_INFINITY;
  #rxBytes = 0;
  /** Lines that prove an AT interpreter is listening (finals, known URCs, echoes): sync()'s evidence. */
  #recognised = 0;
  #sample: number[] = [];

  constructor(transport: ByteTransport, options: AtClientOptions = {}) {
    this.#transport = transport;
    this.#logger = options.logger ?? silentLogger;
    this.#trace = options.trace;
    this.#catalogue = options.urcCatalogue ?? URC_CATALOGUE;
    this.#framer = new LineFramer(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes });
    this.#quietMs = options.quietMs ?? 100;
    this.#quietMaxMs = options.quietMaxMs ?? 2000;
    this.#probeTimeoutMs = options.probeTimeoutMs ?? defaultTimeoutMs('AT');
    this.#resyncAttempts = Math.max(1, options.resyncAttempts ?? 3);
    this.#queue = new TaskQueue(() => this.#resyncBetween());
    this.#readLoop = this.#read();
  }

  /** What the client talks to, for messages. */
  get description(): string {
    return this.#transport.description;
  }

  /** False once the transport closed or went away; every later command rejects with that error. */
  get isOpen(): boolean {
    return this.#ended === undefined;
  }

  /**
   * Called once when the client ends: the transport closed or the device went away (a module that
   * resets or powers off drops off USB). A console waiting for input learns it here. Returns an
   * unsubscribe function.
   */
  onEnd(listener: (error: Error) => void): () => void {
    const ended = this.#ended;
    if (ended !== undefined) {
      queueMicrotask(() => { listener(ended); });
      return () => undefined;
    }
    this.#endListeners.add(listener);
    return () => this.#endListeners.delete(listener);
  }

  /** Sends one command line (without CR) and resolves with its response when the final is OK or CONNECT. */
  send(command: string, options: SendOptions = {}): Promise<AtResponse> {
    if (command.trim() === '' || /[\r\n]/.test(command)) {
      return Promise.reject(new UsageError(`not a single AT command line: ${JSON.stringify(command)}`, { hint: 'Pass one command without CR/LF, e.g. "AT+CSQ".' }));
    }
    if (this.#ended !== undefined) return Promise.reject(this.#ended);
    const given = options.responsePrefix;
    const prefixes = given === undefined ? responsePrefixes(command) : (typeof given === 'string' ? [given] : [...given]).filter((prefix) => prefix !== '');
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs(command);
    const { signal, payload } = options;
    return this.#queue.push(async () => {
      this.#throwIfEnded();
      if (this.#dirty) await this.#resync(signal);
      const { lines, final } = await this.#exchangeOnce(command, { prefixes, timeoutMs, signal, payload });
      if (!isSuccess(final)) throw new AtCommandError(command, final, lines);
      return { command, lines, final };
    }, signal);
  }

  /** Sends a typed command and parses its response (commands/*.ts). */
  async run<T>(command: AtCommand<T>, options: RunOptions = {}): Promise<T> {
    const response = await this.send(command.text, {
      timeoutMs: options.timeoutMs ?? command.timeoutMs,
      ...(command.responsePrefix === undefined ? {} : { responsePrefix: command.responsePrefix }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    return command.parse(response);
  }

  /**
   * Sends AT until the module answers OK: the first thing to do on a port just opened (boot
   * noise, a half-typed line, echo on or off are all fine). Rejects with AtNotAModemError when
   * the port answers only bytes no AT interpreter sends, AtTimeoutError when it stays silent.
   */
  sync(options: SyncOptions = {}): Promise<SyncResult> {
    if (this.#ended !== undefined) return Promise.reject(this.#ended);
    const attempts = Math.max(1, options.attempts ?? 5);
    const timeoutMs = options.timeoutMs ?? this.#probeTimeoutMs;
    const { signal } = options;
    return this.#queue.push(async () => {
      this.#throwIfEnded();
      const bytesBefore = this.#rxBytes;
      const recognisedBefore = this.#recognised;
      this.#sample = [];
      this.#dirty = true;
      this.#framer.discardPartial();
      let last: Error | undefined;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        await this.#drain(signal);
        try {
          const { final, echo } = await this.#exchangeOnce('AT', { prefixes: [], timeoutMs, signal, payload: undefined });
          if (final.kind === 'OK') {
            if (attempt > 1) await this.#drain(signal);
            this.#dirty = false;
            return { attempts: attempt, echo };
          }
          last = new AtCommandError('AT', final, []);
        } catch (error) {
          this.#rethrowFatal(signal);
          last = asError(error);
        }
      }
      this.#eagerResync = false;
      if (last instanceof AtCommandError) throw last;
      if (this.#rxBytes > bytesBefore && this.#recognised === recognisedBefore) {
        throw new AtNotAModemError(this.#transport.description, Uint8Array.from(this.#sample));
      }
      throw new AtTimeoutError('AT', timeoutMs, { waitingFor: `OK in ${attempts} attempts`, ...(last === undefined ? {} : { cause: last }) });
    }, signal);
  }

  /** Subscribes to URCs; returns the unsubscribe function. A throwing listener is logged, not fatal. */
  onUrc(listener: UrcListener): () => void {
    this.#urcListeners.add(listener);
    return () => {
      this.#urcListeners.delete(listener);
    };
  }

  /**
   * Resolves with the first URC that `match` accepts (subscribe before sending the command that
   * causes it). Rejects with AtTimeoutError, CancelledError, or the transport's error.
   */
  waitForUrc(match: (urc: Urc) => boolean, options: WaitForUrcOptions): Promise<Urc> {
    if (this.#ended !== undefined) return Promise.reject(this.#ended);
    const { signal } = options;
    if (signal?.aborted === true) return Promise.reject(toCancelled(signal));
    return new Promise<Urc>((resolve, reject) => {
      const cleanup = (): void => {
        unsubscribe();
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#endListeners.delete(onEnd);
      };
      const unsubscribe = this.onUrc((urc) => {
        if (!match(urc)) return;
        cleanup();
        resolve(urc);
      });
      const timer = setTimeout(() => {
        cleanup();
        reject(new AtTimeoutError(options.what ?? 'URC', options.timeoutMs, { waitingFor: 'URC', ...(options.hint === undefined ? {} : { hint: options.hint }) }));
      }, options.timeoutMs);
      const onAbort = (): void => {
        cleanup();
        reject(toCancelled(signal));
      };
      const onEnd = (error: Error): void => {
        cleanup();
        reject(error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#endListeners.add(onEnd);
    });
  }

  /** Closes the transport; queued and in-flight commands reject with TRANSPORT_CLOSED. */
  async close(): Promise<void> {
    this.#end(new TransportClosedError(`${this.#transport.description} is closed`, false));
    await this.#transport.close().catch(() => undefined);
    await this.#readLoop;
  }

  #throwIfEnded(): void {
    if (this.#ended !== undefined) throw this.#ended;
  }

  /** Inside a resync/sync loop: errors that must stop it rather than count as a failed probe. */
  #rethrowFatal(signal: AbortSignal | undefined): void {
    if (this.#ended !== undefined) throw this.#ended;
    if (signal?.aborted === true) throw toCancelled(signal);
  }

  #exchangeOnce(command: string, options: { readonly prefixes: readonly string[]; readonly timeoutMs: number; readonly signal: AbortSignal | undefined; readonly payload: string | undefined }): Promise<ExchangeResult> {
    const { signal } = options;
    return new Promise<ExchangeResult>((resolve, reject) => {
      if (this.#ended !== undefined) {
        reject(this.#ended);
        return;
      }
      if (signal?.aborted === true) {
        reject(toCancelled(signal));
        return;
      }
      let echoSeen = false;
      const onAbort = (): void => {
        exchange.settle({ error: toCancelled(signal), dirty: true });
      };
      const exchange: Exchange = {
        command,
        prefixes: options.prefixes,
        lines: [],
        echoPending: true,
        payload: options.payload,
        settle: (outcome) => {
          if (this.#exchange !== exchange) return;
          this.#exchange = undefined;
          echoSeen = !exchange.echoPending;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if ('final' in outcome) {
            this.#promptOpen = false;
            resolve({ lines: exchange.lines, final: outcome.final, echo: echoSeen });
            return;
          }
          if (outcome.dirty) {
            this.#dirty = true;
            this.#eagerResync = true;
            const dropped = this.#framer.discardPartial();
            if (dropped > 0) logDebug(this.#logger, 'at: discarded a partial line', { command, bytes: dropped });
          }
          reject(outcome.error);
        },
      };
      const timer = setTimeout(() => {
        exchange.settle({ error: new AtTimeoutError(command, options.timeoutMs, { partial: [...exchange.lines] }), dirty: true });
      }, options.timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#exchange = exchange;
      this.#write(encoder.encode(`${command}\r`)).catch((error: unknown) => {
        exchange.settle({ error: asError(error), dirty: true });
      });
    });
  }

  async #resync(signal?: AbortSignal): Promise<void> {
    this.#framer.discardPartial();
    if (this.#promptOpen) {
      // A command that was answering a "> " prompt never finished: leave text entry first, or
      // the probe would become part of an SMS (ESC cancels it, 3GPP TS 27.005 §3.5.1).
      this.#promptOpen = false;
      await this.#write(ESC);
    }
    let last: Error | undefined;
    for (let attempt = 1; attempt <= this.#resyncAttempts; attempt++) {
      await this.#drain(signal);
      try {
        const { final } = await this.#exchangeOnce('AT', { prefixes: [], timeoutMs: this.#probeTimeoutMs, signal, payload: undefined });
        if (final.kind === 'OK') {
          await this.#drain(signal);
          this.#dirty = false;
          logDebug(this.#logger, 'at: resynchronised', { attempt });
          return;
        }
        last = new AtCommandError('AT', final, []);
      } catch (error) {
        this.#rethrowFatal(signal);
        last = asError(error);
      }
    }
    throw new AtTimeoutError('AT', this.#probeTimeoutMs, {
      waitingFor: `OK to ${this.#resyncAttempts} resync probes after an earlier command failed`,
      ...(last === undefined ? {} : { cause: last }),
    });
  }

  /** Runs between queued tasks: resync right away, so late answers are drained while idle. */
  async #resyncBetween(): Promise<void> {
    if (!this.#dirty || !this.#eagerResync || this.#ended !== undefined) return;
    try {
      await this.#resync();
    } catch (error) {
      logWarn(this.#logger, 'at: resync failed; the next command tries again', { error: asError(error).message });
    }
  }

  /** Waits until nothing has arrived for quietMs, counted from now at the earliest. */
  async #drain(signal: AbortSignal | undefined): Promise<void> {
    const started = monotonicMs();
    this.#draining = true;
    try {
      for (;;) {
        this.#rethrowFatal(signal);
        const wait = Math.max(started, this.#lastRxAt) + this.#quietMs - monotonicMs();
        if (wait <= 0) return;
        if (monotonicMs() - started >= this.#quietMaxMs) {
          logWarn(this.#logger, 'at: the port did not go quiet; probing anyway', { waitedMs: Math.round(monotonicMs() - started) });
          return;
        }
        await sleep(Math.min(wait, this.#quietMs), signal);
      }
    } finally {
      this.#draining = false;
    }
  }

  async #write(bytes: Uint8Array): Promise<void> {
    this.#traceSafely('tx', bytes);
    await this.#transport.write(bytes);
  }

  async #read(): Promise<void> {
    for (;;) {
      let chunk: Uint8Array;
      try {
        chunk = await this.#transport.read();
      } catch (error) {
        this.#end(asError(error));
        return;
      }
      try {
        this.#onBytes(chunk);
      } catch (error) {
        // Only a caller-supplied catalogue hook can throw here; the port must keep being read.
        logWarn(this.#logger, 'at: failed to handle received bytes', { error: asError(error).message });
      }
    }
  }

  #end(error: Error): void {
    if (this.#ended !== undefined) return;
    this.#ended = error;
    this.#exchange?.settle({ error, dirty: false });
    this.#queue.failAll(error);
    for (const listener of [...this.#endListeners]) listener(error);
  }

  #onBytes(chunk: Uint8Array): void {
    this.#lastRxAt = monotonicMs();
    this.#rxBytes += chunk.length;
    for (const byte of chunk) {
      if (this.#sample.length >= SAMPLE_BYTES) break;
      this.#sample.push(byte);
    }
    this.#traceSafely('rx', chunk);
    for (const event of this.#framer.push(chunk)) this.#onEvent(event);
  }

  #onEvent(event: FrameEvent): void {
    switch (event.kind) {
      case 'line':
        this.#onLine(event.text);
        return;
      case 'prompt':
        this.#onPrompt();
        return;
      case 'overflow':
        logWarn(this.#logger, 'at: discarded an overlong line', { bytes: event.dropped, command: this.#exchange?.command });
        return;
    }
  }

  #onPrompt(): void {
    const exchange = this.#exchange;
    if (exchange === undefined) {
      logDebug(this.#logger, 'at: "> " prompt with no command in flight; ignored');
      return;
    }
    this.#recognised += 1;
    const payload = exchange.payload;
    exchange.payload = undefined;
    this.#promptOpen = true;
    const bytes = payload === undefined ? ESC : Uint8Array.from([...encoder.encode(payload), CTRL_Z]);
    if (payload === undefined) logWarn(this.#logger, 'at: the module prompted for text but the command has no payload; cancelled with ESC', { command: exchange.command });
    this.#write(bytes).catch((error: unknown) => {
      exchange.settle({ error: asError(error), dirty: true });
    });
  }

  #onLine(line: string): void {
    const pending = this.#pendingUrc;
    if (pending !== undefined) {
      pending.data.push(line);
      pending.remaining -= 1;
      if (pending.remaining <= 0) {
        this.#pendingUrc = undefined;
        this.#emit({ line: pending.line, name: pending.name, data: pending.data });
      }
      return;
    }
    const exchange = this.#exchange;
    if (exchange?.echoPending === true && line === exchange.command.trim()) {
      exchange.echoPending = false;
      this.#recognised += 1;
      return;
    }
    const route = routeLine(line, exchange, this.#catalogue);
    if (route.kind === 'final') {
      this.#recognised += 1;
      exchange?.settle({ final: route.final });
      return;
    }
    if (route.kind === 'response') {
      exchange?.lines.push(line);
      return;
    }
    const { entry } = route;
    if (entry === undefined && exchange === undefined && (this.#dirty || this.#draining)) {
      logDebug(this.#logger, 'at: discarded a stray line while resynchronising', { line });
      return;
    }
    if (entry !== undefined) this.#recognised += 1;
    const dataLines = entry?.dataLines?.(line) ?? 0;
    if (entry !== undefined && dataLines > 0) {
      this.#pendingUrc = { line, name: entry.name, remaining: dataLines, data: [] };
    } else {
      this.#emit({ line, name: entry?.name });
    }
    if (line === 'RDY' && exchange !== undefined) exchange.settle({ error: new ModuleRebootedError(exchange.command), dirty: true });
  }

  #emit(urc: Urc): void {
    for (const listener of [...this.#urcListeners]) {
      try {
        listener(urc);
      } catch (error) {
        logWarn(this.#logger, 'at: a URC listener threw', { line: urc.line, error: asError(error).message });
      }
    }
  }

  #traceSafely(direction: TraceDirection, bytes: Uint8Array): void {
    if (this.#trace === undefined) return;
    try {
      this.#trace(direction, bytes);
    } catch (error) {
      logWarn(this.#logger, 'at: the trace hook threw', { error: asError(error).message });
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
