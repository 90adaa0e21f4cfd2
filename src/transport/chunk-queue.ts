import { toCancelled } from '../core/time.js';

interface Waiter {
  resolve(chunk: Uint8Array): void;
  reject(error: Error): void;
  detach(): void;
}

/**
 * Received bytes waiting for a reader. A transport's pump pushes, `ByteTransport.read` takes; a
 * reader that gives up (signal) is removed without taking anything, so no byte is ever lost.
 */
export class ChunkQueue {
  readonly #chunks: Uint8Array[] = [];
  readonly #waiters: Waiter[] = [];
  #end: Error | undefined;

  get ended(): boolean {
    return this.#end !== undefined;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.#end !== undefined) return;
    const waiter = this.#waiters.shift();
    if (waiter === undefined) {
      this.#chunks.push(chunk);
      return;
    }
    waiter.detach();
    waiter.resolve(chunk);
  }

  /** No more data will come; readers get `error` once the queued chunks are taken. */
  end(error: Error): void {
    if (this.#end !== undefined) return;
    this.#end = error;
    for (const waiter of this.#waiters.splice(0)) {
      waiter.detach();
      waiter.reject(error);
    }
  }

  read(signal?: AbortSignal): Promise<Uint8Array> {
    const chunk = this.#chunks.shift();
    if (chunk !== undefined) return Promise.resolve(chunk);
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
}
