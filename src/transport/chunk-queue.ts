import { toCancelled } from '../core/time.js';

interface Waiter {
  resolve(chunk: Uint8Array): void;
  reject(error: Error): void;
  detach(): void;
}

/**
 * Bytes a transport holds for a slow reader before it stops taking more from the device. A USB
 * host only receives what it asked for; a tty or a TCP socket pushes, so without a bound a
 * 20 MB partition read would sit in memory whenever the reader (a hash, a file) lags the link.
 */
export const DEFAULT_HIGH_WATER_BYTES = 4 * 1024 * 1024;

/**
 * Received bytes waiting for a reader. A transport's pump pushes, `ByteTransport.read` takes; a
 * reader that gives up (signal) is removed without taking anything, so no byte is ever lost.
 * Past the high-water mark the pump is asked to wait (`room()`), which keeps memory bounded.
 */
export class ChunkQueue {
  readonly #chunks: Uint8Array[] = [];
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

  push(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.#end !== undefined) return;
    const waiter = this.#waiters.shift();
    if (waiter === undefined) {
      this.#chunks.push(chunk);
      this.#queuedBytes += chunk.length;
      return;
    }
    waiter.detach();
    waiter.resolve(chunk);
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

  read(signal?: AbortSignal): Promise<Uint8Array> {
    const chunk = this.#chunks.shift();
    if (chunk !== undefined) {
      this.#queuedBytes -= chunk.length;
      if (!this.full) this.#releaseRoom();
      return Promise.resolve(chunk);
    }
    if (this.#end !== undefined) return Promise.reject(this.#end);
    if (signal?.aborted === true) return Promise.reject(toCancelled(signal));
    return new Promise<Uint8Array>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(toCancelled(signal));
      };
      const waiter: Waiter = {
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #releaseRoom(): void {
    for (const resolve of this.#roomWaiters.splice(0)) resolve();
  }
}
