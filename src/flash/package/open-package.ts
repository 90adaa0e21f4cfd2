import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { openDirectoryPackage } from './directory-source.js';
import { PackageError } from './errors.js';
import type { FirmwarePackage } from './package-source.js';

// Opens what the user pointed at: the package folder (the one holding update/, as QFirehose's
// `-f`), a folder holding exactly one such package (an unpacked zip), or the .zip itself
// (quectel-ec25.md §2.2). Nothing is read beyond names and sizes here.

export async function openPackage(path: string): Promise<FirmwarePackage> {
  const location = resolve(path);
  const info = await stat(location).catch(() => undefined);
  if (info === undefined) {
    throw new PackageError('PACKAGE_NOT_FOUND', `${path} does not exist`, { hint: 'Give the firmware package folder (the one holding update/) or its .zip.' });
  }
  if (info.isFile()) {
    if (/\.7z$/i.test(location)) {
      throw new PackageError('PACKAGE_UNREADABLE', `${basename(location)} is a 7-Zip archive`, { hint: 'Unpack it (7z x) and give the folder; .zip files are read directly.' });
    }
    // The zip reader is loaded for a .zip only: a folder, the usual case on a rework bench, does
    // without its ~5 MB (bench/flash, peak RSS target < 100 MB).
    const { openZipPackage } = await import('./zip-source.js');
    return openZipPackage(location);
  }
  const root = await findRoot(location);
  const names = root === location ? [basename(location)] : [basename(location), basename(root)];
  return openDirectoryPackage(location, root, names);
}

async function findRoot(location: string): Promise<string> {
  if (await isDirectory(join(location, 'update'))) return location;
  const children = await readdir(location, { withFileTypes: true });
  const candidates: string[] = [];
  for (const child of children) {
    if (child.isDirectory() && (await isDirectory(join(location, child.name, 'update')))) candidates.push(join(location, child.name));
  }
  if (candidates.length === 1 && candidates[0] !== undefined) return candidates[0];
  if (basename(location) === 'update' && (await isDirectory(join(location, 'firehose')))) {
    throw new PackageError('PACKAGE_LAYOUT', `${location} is the update/ folder itself`, { hint: 'Give the folder above it (the one holding contents.xml, md5.txt and update/).' });
  }
  throw new PackageError('PACKAGE_LAYOUT', candidates.length === 0 ? `${location} holds no update/ folder` : `${location} holds ${candidates.length} packages`, {
    hint: candidates.length === 0
      ? 'A Quectel package holds update/ (images) and update/firehose/ (programmer and XML) (quectel-ec25.md §2.6). Check this is the firmware package.'
      : 'Give one package folder at a time.',
  });
}

async function isDirectory(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() === true;
}
