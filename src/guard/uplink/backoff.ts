import { UplinkError, uplinkErrorCodes } from './errors.js';

// Exponential backoff with "equal jitter" (half fixed, half random): a fleet that lost its server
// together does not come back in lock-step, and no unit retries at once in a tight loop.

export interface RetryPolicy {
  /** First delay after a failure. */
  readonly minMs: number;
  /** Ceiling of the delay however long the server stays away. */
  readonly maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { minMs: 1000, maxMs: 5 * 60_000 };

export interface Backoff {
  /** The delay before the next attempt; each call doubles the base up to `maxMs`. */
  next(): number;
  /** After a success: the next failure starts again at `minMs`. */
  reset(): void;
}

export function checkRetryPolicy(policy: RetryPolicy): void {
  const { minMs, maxMs } = policy;
  if (!Number.isFinite(minMs) || minMs <= 0 || !Number.isFinite(maxMs) || maxMs < minMs) {
    throw new UplinkError(uplinkErrorCodes.options, `retry needs 0 < minMs ≤ maxMs, got minMs ${minMs}, maxMs ${maxMs}`, {
      hint: 'Set the uplink retry delays in the guard configuration, e.g. minMs 1000, maxMs 300000.',
    });
  }
}

export function createBackoff(policy: RetryPolicy, random: () => number = Math.random): Backoff {
  checkRetryPolicy(policy);
  let failures = 0;
  return {
    next: () => {
      const base = Math.min(policy.maxMs, policy.minMs * 2 ** Math.min(failures, 52));
      failures += 1;
      return base / 2 + (random() * base) / 2;
    },
    reset: () => {
      failures = 0;
    },
  };
}
