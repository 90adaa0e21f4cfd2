import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMedicError } from '../../src/core/errors.js';
import { readFileChunks } from '../../src/core/file-chunks.js';

let work: string;
let file: string;
const content = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31 + (i >>> 11)) & 0xff));

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'medic-chunks-'));
  file = join(work, 'image.bin');
  await writeFile(file, content);
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; buffers: Set<ArrayBufferLike> }> {
  const parts: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  for await (const chunk of chunks) {
    buffers.add(chunk.buffer);
    parts.push(Buffer.from(chunk)); // a copy: the next chunk refills the same memory
  }
  return { bytes: Buffer.concat(parts), buffers };
}

describe('readFileChunks', () => {
  it('streams a file of many chunks byte for byte through one buffer', async () => {
    const { bytes, buffers } = await collect(readFileChunks(file, { chunkBytes: 64 * 1024 }));
    assert.ok(bytes.equals(content));
    assert.equal(buffers.size, 1, 'one buffer for the whole file');
  });

  it('reads a range: from a start, at most a length, and never past the end', async () => {
    assert.ok((await collect(readFileChunks(file, { start: 1000, length: 150_000, chunkBytes: 4096 }))).bytes.equals(content.subarray(1000, 151_000)));
    assert.ok((await collect(readFileChunks(file, { start: 299_000, length: 10_000 }))).bytes.equals(content.subarray(299_000)));
    assert.equal((await collect(readFileChunks(file, { length: 0 }))).bytes.length, 0);
  });

  it('stops with CANCELLED when its signal fires, and says which file is missing', async () => {
    const controller = new AbortController();
    let chunks = 0;
    await assert.rejects((async () => {
      for await (const chunk of readFileChunks(file, { signal: controller.signal, chunkBytes: 1024 })) {
        assert.ok(chunk.length > 0);
        chunks += 1;
        controller.abort();
      }
    })(), (error: unknown) => isMedicError(error) && error.code === 'CANCELLED');
    assert.equal(chunks, 1);
    await assert.rejects(collect(readFileChunks(join(work, 'missing.bin'))), (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT' && (error as Error).message.includes('missing.bin'));
  });
});
