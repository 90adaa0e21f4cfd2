import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMedicError } from '../../src/core/errors.js';
import { ChunkQueue } from '../../src/transport/chunk-queue.js';
import { TransportClosedError } from '../../src/transport/errors.js';

// The queue between a transport's receive pump and its reader: what one pushes, the other takes,
// in order, without loss, whether it takes whole chunks or copies into a buffer of its own.

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('ChunkQueue', () => {
  it('copies into the reader\'s buffer across chunks and keeps what did not fit for the next read', async () => {
    const queue = new ChunkQueue();
    queue.push(bytes(1, 2, 3));
    queue.push(bytes(4, 5));
    const into = new Uint8Array(4);
    assert.equal(await queue.readInto(into), 4);
    assert.deepEqual([...into], [1, 2, 3, 4]);
    assert.deepEqual([...(await queue.read())], [5]);
  });

  it('gives a waiting reader the bytes pushed later, and a cancelled one loses nothing', async () => {
    const queue = new ChunkQueue();
    const controller = new AbortController();
    const cancelled = queue.readInto(new Uint8Array(8), controller.signal);
    controller.abort();
    await assert.rejects(cancelled, (error: unknown) => isMedicError(error) && error.code === 'CANCELLED');
    const into = new Uint8Array(8);
    const waiting = queue.readInto(into);
    queue.push(bytes(9, 8, 7));
    assert.equal(await waiting, 3);
    assert.deepEqual([...into.subarray(0, 3)], [9, 8, 7]);
  });

  it('hands out copies of chunks in reused receive memory and gives the memory back once every byte is taken', async () => {
    const queue = new ChunkQueue();
    const slab = bytes(1, 2, 3, 4, 5, 6);
    let releases = 0;
    queue.push(slab.subarray(0, 2), () => {
      releases += 1;
    });
    queue.push(slab.subarray(2), () => {
      releases += 1;
    });
    const first = await queue.read();
    assert.equal(releases, 1);
    slab.fill(0); // the transport refills its memory with the next receive
    assert.deepEqual([...first], [1, 2], 'the chunk read is the reader\'s own');
    const into = new Uint8Array(3);
    assert.equal(await queue.readInto(into), 3);
    assert.equal(releases, 1, 'a chunk taken in part is still in use');
    assert.equal(await queue.readInto(into), 1);
    assert.equal(releases, 2);
  });

  it('asks the pump to wait past the high-water mark until a reader makes room', async () => {
    const queue = new ChunkQueue(4);
    queue.push(bytes(1, 2, 3, 4, 5));
    assert.equal(queue.full, true);
    let room = false;
    void queue.room().then(() => {
      room = true;
    });
    await queue.readInto(new Uint8Array(2));
    await Promise.resolve();
    assert.equal(room, true);
    assert.equal(queue.full, false);
  });

  it('lets readers take what was queued before the end, then reports the end', async () => {
    const queue = new ChunkQueue();
    queue.push(bytes(1));
    queue.end(new TransportClosedError('gone', true));
    assert.equal(await queue.readInto(new Uint8Array(4)), 1);
    await assert.rejects(queue.readInto(new Uint8Array(4)), (error: unknown) => isMedicError(error) && error.code === 'TRANSPORT_DISCONNECTED');
  });
});
