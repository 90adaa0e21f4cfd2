import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkQueue } from '../../src/transport/chunk-queue.js';
import { ReceivePool } from '../../src/transport/receive-pool.js';

// The receive memory a socket reads into: bounded, and each slab reused once its reader is done.

describe('ReceivePool', () => {
  it('lends each slab again once every chunk of it was taken, round after round, and never more than its bound', async () => {
    const pool = new ReceivePool(16, 2);
    const queue = new ChunkQueue();
    const seen = new Set<Uint8Array>();
    let next = 0;
    for (let round = 0; round < 5; round += 1) {
      for (let i = 0; i < 2; i += 1) {
        const slab = pool.take();
        seen.add(slab.bytes);
        for (let at = 0; at < 16; at += 1) slab.bytes[at] = next++ & 0xff;
        queue.push(slab.bytes.subarray(0, 10), slab.hold());
        queue.push(slab.bytes.subarray(10), slab.hold());
        slab.received();
      }
      assert.equal(pool.exhausted, true, `round ${round}: both slabs hold unread bytes`);
      let resumed = false;
      pool.onFree(() => {
        resumed = true;
      });
      const into = new Uint8Array(32);
      let filled = 0;
      while (filled < 32) filled += await queue.readInto(into.subarray(filled));
      assert.deepEqual([...into], Array.from({ length: 32 }, (_, i) => (round * 32 + i) & 0xff), `round ${round}: bytes in order`);
      assert.equal(pool.exhausted, false);
      assert.equal(resumed, true, `round ${round}: the paused receiver was told`);
    }
    assert.equal(seen.size, 2, 'the same two slabs, reused');
  });

  it('keeps a slab out of the pool while a chunk of it waits, even after the receiver is done with it', async () => {
    const pool = new ReceivePool(8, 1);
    const queue = new ChunkQueue();
    const slab = pool.take();
    slab.bytes.set([1, 2, 3]);
    queue.push(slab.bytes.subarray(0, 3), slab.hold());
    slab.received();
    assert.equal(pool.exhausted, true);
    assert.deepEqual([...(await queue.read())], [1, 2, 3]);
    assert.equal(pool.exhausted, false);
  });
});
