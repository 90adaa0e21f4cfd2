import { PackageError } from './errors.js';
import type { FirmwarePackage, PackageReadOptions } from './package-source.js';

// Small files (XML, md5.txt, the partition table, an ELF header) are read whole, with a cap so a
// damaged or hostile package cannot make us hold an image in memory by naming it "rawprogram".

/** The XML and list files of a package are kilobytes; 8 MiB leaves room and bounds memory. */
export const MAX_PARSED_FILE_BYTES = 8 * 1024 * 1024;

export async function readPackageFile(pkg: FirmwarePackage, path: string, options: PackageReadOptions & { readonly maxBytes?: number } = {}): Promise<Uint8Array> {
  const limit = options.maxBytes ?? MAX_PARSED_FILE_BYTES;
  const entry = pkg.file(path);
  if (entry !== undefined && entry.size > limit) {
    throw new PackageError('PACKAGE_FILE_TOO_LARGE_TO_PARSE', `${path} is ${entry.size} bytes; files read whole may have at most ${limit}`, {
      hint: 'This file is far larger than any Quectel XML or list file: the package is damaged or not a firmware package.',
    });
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of pkg.open(path, options)) {
    total += chunk.length;
    if (total > limit) throw new PackageError('PACKAGE_FILE_TOO_LARGE_TO_PARSE', `${path} is larger than ${limit} bytes`, { hint: 'The package is damaged or not a firmware package.' });
    parts.push(chunk.slice());
  }
  return concat(parts, total);
}

/** The first `count` bytes (fewer if the file is shorter); stops reading there. */
export async function readPackageHead(pkg: FirmwarePackage, path: string, count: number, options: PackageReadOptions = {}): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of pkg.open(path, options)) {
    const take = chunk.slice(0, count - total);
    parts.push(take);
    total += take.length;
    if (total >= count) break;
  }
  return concat(parts, total);
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
