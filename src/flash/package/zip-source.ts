import { basename } from 'node:path';
import { addAbortSignal } from 'node:stream';
import yauzl from 'yauzl';
import { PackageError } from './errors.js';
import { notInPackage } from './directory-source.js';
import { findRootPrefix } from './package-root.js';
import type { FirmwarePackage, PackageFileEntry, PackageReadOptions } from './package-source.js';

// A package as a .zip (QFirehose ≥ 1.4.17 takes these, quectel-ec25.md §2.2), read in place with
// yauzl: the central directory gives names and sizes, and each file is inflated as a stream only
// when it is read. yauzl refuses entry names that are absolute or climb out with `..` (zip-slip)
// and checks every entry's size against the directory while reading.

export async function openZipPackage(location: string): Promise<FirmwarePackage> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(location, { lazyEntries: true, autoClose: false });
  } catch (error) {
    throw zipError(location, error);
  }
  try {
    const entries = new Map<string, yauzl.Entry>();
    for await (const entry of zip.eachEntry()) {
      if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
    }
    const prefix = findRootPrefix([...entries.keys()], basename(location));
    const files: PackageFileEntry[] = [];
    const byPath = new Map<string, yauzl.Entry>();
    for (const [name, entry] of entries) {
      if (!name.startsWith(prefix)) continue;
      const path = name.slice(prefix.length);
      files.push({ path, size: entry.uncompressedSize });
      byPath.set(path, entry);
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const sizes = new Map(files.map((file) => [file.path, file]));
    const zipName = basename(location).replace(/\.zip$/i, '');
    const names = prefix === '' ? [zipName] : [zipName, prefix.slice(0, -1)];
    return {
      kind: 'zip',
      location,
      names,
      files,
      rejected: [],
      file: (path) => sizes.get(path),
      open: (path, options) => {
        const entry = byPath.get(path);
        if (entry === undefined) throw notInPackage(path);
        return readEntry(zip, entry, options);
      },
      close: () => {
        zip.close();
        return Promise.resolve();
      },
    };
  } catch (error) {
    zip.close();
    throw error instanceof PackageError ? error : zipError(location, error);
  }
}

async function* readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, options: PackageReadOptions = {}): AsyncGenerator<Uint8Array> {
  const stream = await zip.openReadStreamPromise(entry);
  if (options.signal !== undefined) addAbortSignal(options.signal, stream);
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } finally {
    stream.destroy();
  }
}

function zipError(location: string, error: unknown): PackageError {
  const text = error instanceof Error ? error.message : String(error);
  // yauzl's own wording for names that escape the archive (zip-slip).
  if (/absolute path|invalid relative path/i.test(text)) {
    return new PackageError('PACKAGE_PATH_TRAVERSAL', `${basename(location)}: ${text}`, {
      hint: 'The zip names a file outside itself (an absolute path or `..`). Refusing it: get the package from Quectel again.',
      cause: error,
    });
  }
  return new PackageError('PACKAGE_UNREADABLE', `${basename(location)} is not a readable zip: ${text}`, {
    hint: 'The download is damaged or this is not a zip. Get the package again, or unpack it and give the folder.',
    cause: error,
  });
}
