import { toCancelled } from '../core/time.js';

interface Waiter {
  /** Takes from the queue now (it is not empty) and settles the waiting read. */
  take(): void;
  reject(error: Error): void;
  detach(): void;
}

interface Queued {
  bytes: Uint8Array;
  /** Given back to the transport's receive pool once every byte was taken. */
  readonly release: (() => void) | undefined;
}

/**
 * Bytes a transport holds for a slow reader before it stops taking more from the device. A USB
 * host only receives what it asked for; a tty or a TCP socket pushes, so without a bound a
 * 20 MB partition read would sit in memory whenever the reader (a hash, a file) lags the link.
 */
export const DEFAULT_HIGH_WATER_BYTES = 4 * 1024 * 1024;

/**
 * Received bytes waiting for a reader. A transport's pump pushes; `ByteTransport.read` takes a
 * chunk, `readInto` copies into the reader's own buffer. A reader that gives up (signal) is
 * removed without taking anything, so no byte is ever lost. Past the high-water mark the pump is
 * asked to wait (`room()`), which keeps memory bounded.
 *
 * A chunk pushed with `release` lives in memory the transport reuses (its receive pool): `read`
 * hands out a copy of it, and `release` runs once every byte has been taken, so a partition read
 * through `readInto` allocates nothing per chunk.
 */
export class ChunkQueue {
  readonly #chunks: Queued[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #highWaterBytes: number;
  #queuedBytes = 0;
  #roomWaiters: (() => void)[] = [];
  #end: Error | undefined;

  constructor(highWaterBytes = DEFAULT_HIGH_WATER_BYTES) {
    this.#highWaterBytes = highWaterBytes;
  }

  /** More than the high-water mark waits for a reader: the pump should stop taking input. */
  get full(): boolean {
    return this.#queuedBytes > this.#highWaterBytes;
  }

  /** Resolves once the queue is below the high-water mark again (or has ended). */
  room(): Promise<void> {
    if (!this.full || this.#end !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  get ended(): boolean {
    return this.#end !== undefined;
  }

  push(chunk: Uint8Array, release?: () => void): void {
    if (chunk.length === 0 || this.#end !== undefined) {
      release?.();
      return;
    }
    this.#chunks.push({ bytes: chunk, release });
    this.#queuedBytes += chunk.length;
    while (this.#chunks.length > 0) {
      const waiter = this.#waiters.shift();
      if (waiter === undefined) break;
      waiter.detach();
      waiter.take();
    }
  }

  /** No more data will come; readers get `error` once the queued chunks are taken. */
  end(error: Error): void {
    if (this.#end !== undefined) return;
    this.#end = error;
    this.#releaseRoom();
    for (const waiter of this.#waiters.splice(0)) {
      waiter.detach();
      waiter.reject(error);
    }
  }

  /** The next received chunk (never empty), whole. */
  read(signal?: AbortSignal): Promise<Uint8Array> {
    return this.#wait(signal, () => this.#takeChunk());
  }

  /** Copies received bytes into `into` (up to its length) and says how many; at least one. */
  readInto(into: Uint8Array, signal?: AbortSignal): Promise<number> {
    if (into.length === 0) return Promise.resolve(0);
    return this.#wait(signal, () => this.#takeInto(into));
  }

  #wait<T>(signal: AbortSignal | undefined, take: () => T): Promise<T> {
    if (this.#chunks.length > 0) return Promise.resolve(take());
    if (this.#end !== undefined) return Promise.reject(this.#end);
    if (signal?.aborted === true) return Promise.reject(toCancelled(signal));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(toCancelled(signal));
      };
      const waiter: Waiter = {
        take: () => {
          resolve(take());
        },
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #takeChunk(): Uint8Array {
    const head = this.#chunks.shift();
    if (head === undefined) throw new Error('ChunkQueue: take from an empty queue');
    this.#taken(head.bytes.length);
    if (head.release === undefined) return head.bytes;
    const copy = head.bytes.slice();
    head.release();
    return copy;
  }

  #takeInto(into: Uint8Array): number {
    let filled = 0;
    while (filled < into.length) {
      const head = this.#chunks[0];
      if (head === undefined) break;
      const take = Math.min(into.length - filled, head.bytes.length);
      into.set(take === head.bytes.length ? head.bytes : head.bytes.subarray(0, take), filled);
      filled += take;
      if (take === head.bytes.length) {
        this.#chunks.shift();
        head.release?.();
      } else {
        head.bytes = head.bytes.subarray(take);
      }
    }
    this.#taken(filled);
    return filled;
  }

  #taken(bytes: number): void {
    this.#queuedBytes -= bytes;
    if (!this.full) this.#releaseRoom();
  }

  #releaseRoom(): void {
    for (const resolve of this.#roomWaiters.splice(0)) resolve();
  }
}
