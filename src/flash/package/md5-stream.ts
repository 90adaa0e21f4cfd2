import { createHash } from 'node:crypto';
import { withSignal } from '../../core/time.js';
import type { FirmwarePackage } from './package-source.js';

// MD5 over a stream, one chunk at a time: a 50 MB NON-HLOS.ubi is hashed without ever being held
// in memory (the images of a package are ~90 MB, quectel-ec25.md §2.6).

export interface Md5Progress {
  readonly path: string;
  readonly bytes: number;
  readonly total: number;
}

export interface Md5Result {
  /** Lower-case hex, 32 digits. */
  readonly md5: string;
  readonly bytes: number;
}

export async function md5OfChunks(chunks: AsyncIterable<Uint8Array>, onChunk?: (bytes: number) => void): Promise<Md5Result> {
  const hash = createHash('md5');
  let bytes = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    bytes += chunk.length;
    onChunk?.(bytes);
  }
  return { md5: hash.digest('hex'), bytes };
}

export interface Md5FileOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: Md5Progress) => void) | undefined;
}

/**
 * Hashes of package files already computed, per opened package. `medic flash --all` checks the
 * package once for the batch and again for each unit (whose checks depend on what the module
 * reports); without this, ten units hashed the ~90 MB of images eleven times, all at once.
 */
const hashed = new WeakMap<FirmwarePackage, Map<string, Promise<Md5Result>>>();

/** The file's MD5, read once per opened package: later calls (and calls made meanwhile) share it. */
export function md5OfPackageFile(pkg: FirmwarePackage, path: string, options: Md5FileOptions = {}): Promise<Md5Result> {
  let files = hashed.get(pkg);
  if (files === undefined) {
    files = new Map();
    hashed.set(pkg, files);
  }
  const known = files.get(path);
  if (known !== undefined) return withSignal(known, options.signal);
  const total = pkg.file(path)?.size ?? 0;
  const { onProgress } = options;
  const hashing = md5OfChunks(pkg.open(path, { signal: options.signal }), onProgress === undefined ? undefined : (bytes) => {
    onProgress({ path, bytes, total });
  });
  files.set(path, hashing);
  // A read that failed or was cancelled is not remembered: the next caller reads again.
  hashing.catch(() => files.delete(path));
  return hashing;
}
