import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteBuffer } from '../../../src/sim/edl/byte-buffer.js';

describe('ByteBuffer (input of the stream-fed targets)', () => {
  it('peeks and takes across the chunks bytes arrived in, in order, without losing any', () => {
    const buffer = new ByteBuffer();
    buffer.push(Uint8Array.of(1, 2, 3));
    buffer.push(Uint8Array.of());
    buffer.push(Uint8Array.of(4));
    buffer.push(Uint8Array.of(5, 6, 7, 8));
    assert.equal(buffer.length, 8);
    assert.deepEqual([...buffer.peek(5)], [1, 2, 3, 4, 5]);
    assert.deepEqual([...buffer.take(2)], [1, 2]);
    assert.deepEqual([...buffer.take(3)], [3, 4, 5]);
    assert.deepEqual([...buffer.peek(10)], [6, 7, 8]);
    assert.deepEqual([...buffer.take(10)], [6, 7, 8]);
    assert.equal(buffer.length, 0);
    assert.deepEqual([...buffer.take(1)], []);
  });

  it('keeps its own copy of what was pushed (a port may reuse its read buffer)', () => {
    const buffer = new ByteBuffer();
    const chunk = Uint8Array.of(9, 9);
    buffer.push(chunk);
    chunk[0] = 0;
    assert.deepEqual([...buffer.take(2)], [9, 9]);
  });

  it('skips leading bytes across chunks', () => {
    const buffer = new ByteBuffer();
    buffer.push(Uint8Array.of(0x0a, 0x0d));
    buffer.push(Uint8Array.of(0x20, 0x41, 0x0a));
    assert.equal(buffer.skipWhile((byte) => byte === 0x0a || byte === 0x0d || byte === 0x20), 3);
    assert.deepEqual([...buffer.take(5)], [0x41, 0x0a]);
  });
});
