import { CancelledError, TimeoutError } from './errors.js';

/**
 * Milliseconds on a monotonic clock, for durations. Not performance.now(): the first call loads
 * Node's perf_hooks (~0.8 MB of resident memory), which the long-running guard would carry for
 * nothing (bench/guard: RSS target < 60 MB).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Resolves after `ms`, or rejects with CancelledError when `signal` fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(toCancelled(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(toCancelled(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The error an aborted signal stands for: its reason when that is already an Error of ours. */
export function toCancelled(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof TimeoutError || reason instanceof CancelledError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return new TimeoutError(reason.message, { cause: reason });
  return new CancelledError('cancelled', { cause: reason });
}

/**
 * A signal that fires after `ms` with a TimeoutError carrying `what`, or when `parent` fires.
 * `dispose` clears the timer so a finished operation leaves nothing behind.
 */
export function deadline(ms: number, what: string, parent?: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new TimeoutError(`${what}: no answer within ${Math.round(ms)} ms`));
  }, Math.max(0, ms));
  const onParent = (): void => {
    controller.abort(parent?.reason);
  };
  if (parent?.aborted === true) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

/** Races `promise` against `signal`; the promise keeps running, its result is dropped. */
export function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(toCancelled(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(toCancelled(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * One deadline per step of a long transfer (each chunk read or written must make progress within
 * `ms` of `arm()`), without an AbortController and a timer per chunk: ~50,000 chunks per flash
 * made those its largest allocation (bench/flash, peak RSS). Time between `disarm()` and the next
 * `arm()` (the caller's own work on a chunk) does not count.
 */
export class ProgressWatchdog {
  readonly #controller = new AbortController();
  readonly #ms: number;
  readonly #what: string;
  readonly #parent: AbortSignal | undefined;
  readonly #onParent = (): void => {
    this.#controller.abort(this.#parent?.reason);
  };
  #timer: NodeJS.Timeout | undefined;
  #armed = false;

  constructor(ms: number, what: string, parent?: AbortSignal) {
    this.#ms = Math.max(0, ms);
    this.#what = what;
    this.#parent = parent;
    if (parent?.aborted === true) this.#onParent();
    else parent?.addEventListener('abort', this.#onParent, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** A step starts: it fails with a TimeoutError unless `disarm()` comes within `ms`. */
  arm(): void {
    this.#armed = true;
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        if (this.#armed) this.#controller.abort(new TimeoutError(`${this.#what}: no answer within ${Math.round(this.#ms)} ms`));
      }, this.#ms);
    } else {
      // Restarts the same timer (also one that already fired while disarmed): no new object.
      this.#timer.refresh();
    }
  }

  disarm(): void {
    this.#armed = false;
  }

  dispose(): void {
    this.#armed = false;
    clearTimeout(this.#timer);
    this.#parent?.removeEventListener('abort', this.#onParent);
  }
}
