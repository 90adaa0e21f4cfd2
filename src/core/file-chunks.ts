import { open } from 'node:fs/promises';
import { toCancelled } from './time.js';

// Streaming a file through one buffer. Images, backups and read-backs are hashed and sent a chunk
// at a time, and each chunk is done with before the next is asked for; a new buffer per read (as
// fs.createReadStream makes) left tens of MB of dead buffers between garbage collections, which
// set a flash's peak memory (bench/flash, target < 100 MB).

export interface FileChunksOptions {
  /** First byte to read (default 0). */
  readonly start?: number;
  /** Bytes to read at most (default: to the end of the file). */
  readonly length?: number;
  readonly signal?: AbortSignal | undefined;
  readonly chunkBytes?: number;
}

/**
 * The file's bytes in order. Each chunk is a view into one buffer that the next chunk fills
 * again: copy what you keep. Breaking out of the loop closes the file.
 */
export async function* readFileChunks(path: string, options: FileChunksOptions = {}): AsyncGenerator<Uint8Array> {
  const { signal } = options;
  const stopIfCancelled = (): void => {
    if (signal?.aborted === true) throw toCancelled(signal);
  };
  stopIfCancelled();
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(options.chunkBytes ?? 64 * 1024);
    let position = options.start ?? 0;
    let left = options.length ?? Number.POSITIVE_INFINITY;
    while (left > 0) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, left), position);
      stopIfCancelled();
      if (bytesRead === 0) return;
      position += bytesRead;
      left -= bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
