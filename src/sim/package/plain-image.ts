// Writes a big image (.ubi, .img) to disk without ever holding it: the descriptor goes first with
// a zero digest, the body is generated and hashed 1 MiB at a time into one reused buffer, and
// the digest is written back into the descriptor at the end. Memory stays at ~1 MiB for a
// 48 MiB NON-HLOS.ubi.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { toCancelled } from '../../core/time.js';
import { DESCRIPTOR_SIZE, digestRange, encodeDescriptor, type ImageIdentity } from './image-descriptor.js';
import type { SeededBytes } from './seeded-bytes.js';

export const WRITE_CHUNK_BYTES = 1024 * 1024;

export interface PlainImageOptions {
  readonly size: number;
  readonly identity: ImageIdentity;
  readonly content: SeededBytes;
  readonly signal?: AbortSignal | undefined;
  /** Called after each chunk with the bytes written so far. */
  readonly onProgress?: ((written: number) => void) | undefined;
}

/** Creates `path` (it must not exist) holding a sealed plain image of exactly `size` bytes. */
export async function writePlainImage(path: string, options: PlainImageOptions): Promise<void> {
  const { size, content, signal } = options;
  const descriptor = encodeDescriptor(options.identity, size);
  const hash = createHash('sha256').update(descriptor);
  const file = await open(path, 'wx');
  try {
    await file.write(descriptor, 0, descriptor.length, 0);
    const chunk = new Uint8Array(Math.min(WRITE_CHUNK_BYTES, size - DESCRIPTOR_SIZE));
    let written = DESCRIPTOR_SIZE;
    while (written < size) {
      if (signal?.aborted === true) throw toCancelled(signal);
      const view = chunk.subarray(0, Math.min(chunk.length, size - written));
      content.fill(view);
      hash.update(view);
      await file.write(view, 0, view.length, written);
      written += view.length;
      options.onProgress?.(written);
    }
    const { start } = digestRange('plain');
    const digest = hash.digest();
    await file.write(digest, 0, digest.length, start);
  } finally {
    await file.close();
  }
}
