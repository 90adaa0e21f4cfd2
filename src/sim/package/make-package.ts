// makePackage: writes a synthetic Quectel firmware package with the real layout (quectel sheet
// §2.6) into a new or empty directory — images, the Firehose XML, contents.xml, md5.txt — or,
// with `corrupt`, one with exactly one defect (corruptions.ts). Files are written one at a time
// and the big ones streamed, so memory stays at a few MiB for a ~90 MB package.
import { mkdir, readdir } from 'node:fs/promises';
import { isMedicError, UsageError } from '../../core/errors.js';
import { resolveCorruption, type ResolvedCorruption } from './corruptions.js';
import { SimPackageError } from './package-errors.js';
import type { MakePackageOptions, PackageManifest } from './package-manifest.js';
import { resolvePackageOptions, type ResolvedPackageOptions } from './package-options.js';
import { findImage, partitionBytes, planPackage } from './package-plan.js';
import { PackageWriter } from './package-writer.js';

export type { MakePackageOptions, PackageFile, PackageManifest, PackageProgress } from './package-manifest.js';

export async function makePackage(dir: string, options: MakePackageOptions = {}): Promise<PackageManifest> {
  const resolved = resolvePackageOptions(options);
  const corruption = resolveCorruption(options.corrupt, resolved.geometry);
  const plan = planPackage({ geometry: resolved.geometry, size: resolved.size, sizeOverrides: oversize(corruption, resolved) });
  await prepareDirectory(dir);
  const writer = new PackageWriter({ dir, options: resolved, plan, corruption, extra: options });
  try {
    return await writer.write();
  } catch (error) {
    await writer.removeWritten();
    if (isMedicError(error)) throw error;
    throw new SimPackageError('SIM_PACKAGE_WRITE', `could not write the package into ${dir}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      hint: 'Check the free space and permissions of the directory, then run again.',
    });
  }
}

/** oversized-image: one page and a bit beyond the smallest partition the image goes to. */
function oversize(corruption: ResolvedCorruption | undefined, options: ResolvedPackageOptions): ReadonlyMap<string, number> | undefined {
  if (corruption?.kind !== 'oversized-image' || corruption.file === undefined) return undefined;
  const plan = planPackage({ geometry: options.geometry, size: options.size });
  const image = findImage(plan, corruption.file);
  if (image === undefined) return undefined;
  const room = Math.min(...image.partitions.map((partition) => partitionBytes(plan, partition)));
  return new Map([[corruption.file, room + plan.pageSize + 0x123]]);
}

async function prepareDirectory(dir: string): Promise<void> {
  let entries: string[];
  try {
    await mkdir(dir, { recursive: true });
    entries = await readdir(dir);
  } catch (error) {
    throw new UsageError(`cannot use ${dir} for a package: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      hint: 'Give a directory you may write to (new or empty); not a file.',
    });
  }
  if (entries.length > 0) {
    throw new UsageError(`${dir} is not empty`, { hint: 'Give a new or empty directory: medic never writes a package over other files.' });
  }
}
