import { CancelledError, TimeoutError } from './errors.js';

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
