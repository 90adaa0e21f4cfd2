import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBackoff, DEFAULT_RETRY, uplinkErrorCodes } from '../../../src/guard/uplink/index.js';
import { isCode } from '../../helpers/medic-error.js';

describe('uplink backoff', () => {
  it('doubles from minMs up to maxMs, each delay between half and all of its step', () => {
    const lowest = createBackoff({ minMs: 1000, maxMs: 60_000 }, () => 0);
    const highest = createBackoff({ minMs: 1000, maxMs: 60_000 }, () => 0.999999);
    const low = Array.from({ length: 10 }, () => lowest.next());
    const high = Array.from({ length: 10 }, () => Math.round(highest.next()));
    assert.deepEqual(low, [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    assert.deepEqual(high, [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
  });

  it('jitters, so a fleet that lost its server together does not retry in lock-step', () => {
    const delays = new Set(Array.from({ length: 20 }, () => createBackoff(DEFAULT_RETRY).next()));
    assert.ok(delays.size > 10, `20 units, ${delays.size} different first delays`);
  });

  it('starts again at minMs after a success', () => {
    const backoff = createBackoff({ minMs: 100, maxMs: 10_000 }, () => 0);
    for (let index = 0; index < 8; index += 1) backoff.next();
    backoff.reset();
    assert.equal(backoff.next(), 50);
  });

  it('waits at most five minutes by default, however long the server is away', () => {
    const backoff = createBackoff(DEFAULT_RETRY);
    const delays = Array.from({ length: 100 }, () => backoff.next());
    assert.ok(delays.every((delay) => delay > 0 && delay <= 5 * 60_000));
  });

  it('refuses delays that are not 0 < minMs ≤ maxMs', () => {
    for (const policy of [{ minMs: 0, maxMs: 10 }, { minMs: 100, maxMs: 10 }, { minMs: Number.NaN, maxMs: 10 }, { minMs: 1, maxMs: Number.POSITIVE_INFINITY }]) {
      assert.throws(() => createBackoff(policy), isCode(uplinkErrorCodes.options));
    }
  });
});
