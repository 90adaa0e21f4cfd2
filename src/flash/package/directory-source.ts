import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { readFileChunks } from '../../core/file-chunks.js';
import { PackageError } from './errors.js';
import type { FirmwarePackage, PackageFileEntry, RejectedPackageEntry } from './package-source.js';

// A package unpacked in a directory. Symlinks are followed only when they stay inside the package:
// one pointing elsewhere would let a package "contain" any file on the host.

/** A package folder has a few dozen files; a walk that finds thousands was pointed at the wrong place. */
const MAX_FILES = 10_000;

export async function openDirectoryPackage(location: string, root: string, names: readonly string[]): Promise<FirmwarePackage> {
  const realRoot = await realpath(root);
  const files: PackageFileEntry[] = [];
  const rejected: RejectedPackageEntry[] = [];
  await walk(realRoot, root, '', { files, rejected });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const byPath = new Map(files.map((entry) => [entry.path, entry]));
  return {
    kind: 'directory',
    location,
    names,
    files,
    rejected,
    file: (path) => byPath.get(path),
    open: (path, options) => {
      if (!byPath.has(path)) throw notInPackage(path);
      return readFileChunks(join(root, ...path.split('/')), { signal: options?.signal });
    },
    close: () => Promise.resolve(),
  };
}

interface WalkOutput {
  readonly files: PackageFileEntry[];
  readonly rejected: RejectedPackageEntry[];
}

async function walk(realRoot: string, dir: string, prefix: string, out: WalkOutput): Promise<void> {
  const names = (await readdir(dir)).sort();
  for (const name of names) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const full = join(dir, name);
    const info = await lstat(full);
    let target = info;
    if (info.isSymbolicLink()) {
      const resolved = await realpath(full).catch(() => undefined);
      if (resolved === undefined || (resolved !== realRoot && !resolved.startsWith(realRoot + sep))) {
        out.rejected.push({ path, reason: `symlink to ${resolved ?? 'nothing'}, outside the package` });
        continue;
      }
      target = await stat(full);
    }
    if (target.isDirectory()) {
      await walk(realRoot, full, path, out);
    } else if (target.isFile()) {
      out.files.push({ path, size: target.size });
      if (out.files.length > MAX_FILES) {
        throw new PackageError('PACKAGE_LAYOUT', `more than ${MAX_FILES} files under ${realRoot}`, {
          hint: 'Point at the firmware package folder itself (the one that holds update/).',
        });
      }
    }
  }
}

export function notInPackage(path: string): PackageError {
  return new PackageError('PACKAGE_FILE_NOT_FOUND', `${path} is not in the package`, { hint: 'List the package files (package.files) for the names it has.' });
}
