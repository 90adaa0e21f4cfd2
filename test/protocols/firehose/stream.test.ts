import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isMedicError } from '../../../src/core/errors.js';
import { FirehoseStream } from '../../../src/protocols/firehose/stream.js';
import { ChunkQueue } from '../../../src/transport/chunk-queue.js';
import { ACK, ACK_RAW, ACK_RAW_DONE, log } from './device-messages.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A ReadMore over fixed chunks. */
function chunks(...parts: (string | Uint8Array)[]): () => Promise<Uint8Array> {
  const queue = parts.map((part) => (typeof part === 'string' ? encode(part) : part));
  return () => {
    const next = queue.shift();
    return next === undefined ? Promise.reject(new Error('no more data')) : Promise.resolve(next);
  };
}

describe('Firehose byte stream (edl-protocols.md §1.8, §2.1)', () => {
  it('splits concatenated documents that arrive in one read', async () => {
    const stream = new FirehoseStream();
    const read = chunks(log('a') + log('b') + ACK);
    assert.equal(await stream.nextDocument(read), log('a'));
    assert.equal(await stream.nextDocument(read), log('b'));
    assert.equal(await stream.nextDocument(read), ACK);
  });

  it('joins any split of a sequence of documents back into the same documents', async () => {
    const docs = [log('one'), ACK_RAW, log('Finished sector address 64'), ACK_RAW_DONE];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), async (sizes) => {
        const all = encode(docs.join(''));
        const parts: Uint8Array[] = [];
        for (let at = 0, i = 0; at < all.length; i += 1) {
          const size = sizes[i % sizes.length] ?? 1;
          parts.push(all.subarray(at, at + size));
          at += size;
        }
        const stream = new FirehoseStream();
        const read = chunks(...parts);
        for (const doc of docs) assert.equal(await stream.nextDocument(read), doc);
      }),
    );
  });

  it('skips what is not XML between documents and says so', async () => {
    const skipped: string[] = [];
    const stream = new FirehoseStream(new Uint8Array(0), { onSkipped: (bytes) => skipped.push(new TextDecoder().decode(bytes)) });
    const read = chunks('\n\nnoise', '<?xm', `l version="1.0" ?><data><log value="x"/></data>`);
    assert.match(await stream.nextDocument(read), /<log value="x"\/>/);
    assert.equal(skipped.join(''), '\n\nnoise');
  });

  it('counts raw data that shares reads with the ACK before it and the document after it', async () => {
    const raw = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const stream = new FirehoseStream();
    const both = (a: string | Uint8Array, b: string | Uint8Array): Uint8Array => {
      const x = typeof a === 'string' ? encode(a) : a;
      const y = typeof b === 'string' ? encode(b) : b;
      const out = new Uint8Array(x.length + y.length);
      out.set(x);
      out.set(y, x.length);
      return out;
    };
    // Through a transport's queue, the chunks in its reused receive memory (released once taken).
    const queue = new ChunkQueue();
    let released = 0;
    for (const part of [both(ACK_RAW, raw.subarray(0, 100)), raw.subarray(100, 250), both(raw.subarray(250), ACK_RAW_DONE)]) {
      queue.push(part, () => {
        released += 1;
      });
    }
    const read = (): Promise<Uint8Array> => queue.read();
    assert.equal(await stream.nextDocument(read), ACK_RAW);
    const got: number[] = [];
    await stream.readRaw(300, (chunk) => {
      got.push(...chunk);
    }, (into) => queue.readInto(into));
    assert.deepEqual(got, [...raw]);
    assert.equal(await stream.nextDocument(read), ACK_RAW_DONE);
    assert.equal(released, 3, 'every received chunk went back to the transport');
  });

  it('gives up on a document that never ends instead of buffering forever', async () => {
    const stream = new FirehoseStream(new Uint8Array(0), { maxDocumentBytes: 1024 });
    const read = chunks('<?xml version="1.0" ?><data><log value="', 'x'.repeat(2000));
    await assert.rejects(stream.nextDocument(read), (error: unknown) => isMedicError(error) && error.code === 'FIREHOSE_PROTOCOL');
  });
});
