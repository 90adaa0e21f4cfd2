// One AT command at a time, first come first served. A task whose signal fires while it waits is
// taken out of the queue and never reaches the wire; one that is running handles its own signal.

import { toCancelled } from '../../core/time.js';

interface Entry {
  start(): Promise<void>;
  fail(error: Error): void;
}

export class TaskQueue {
  readonly #entries: Entry[] = [];
  readonly #between: () => Promise<void>;
  #running = false;

  /** `between` runs after every task, before the next one starts (the client's resync). */
  constructor(between: () => Promise<void>) {
    this.#between = between;
  }

  get length(): number {
    return this.#entries.length;
  }

  push<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted === true) return Promise.reject(toCancelled(signal));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#entries.indexOf(entry);
        if (index < 0) return;
        this.#entries.splice(index, 1);
        reject(toCancelled(signal));
      };
      const entry: Entry = {
        start: async () => {
          signal?.removeEventListener('abort', onAbort);
          try {
            resolve(await work());
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
        fail: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#entries.push(entry);
      void this.#pump();
    });
  }

  /** Rejects every waiting task with `error` (the transport went away). */
  failAll(error: Error): void {
    for (const entry of this.#entries.splice(0)) entry.fail(error);
  }

  async #pump(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (;;) {
        const entry = this.#entries.shift();
        if (entry === undefined) return;
        await entry.start();
        await this.#between().catch(() => undefined);
      }
    } finally {
      this.#running = false;
    }
  }
}
