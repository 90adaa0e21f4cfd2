// What a Quectel MDM9607 firmware package holds, as data (quectel sheet §2.6, edl sheet §2.9):
// every file, where it lives, which partitions the rawprogram writes it to, and how big our
// synthetic copy is. Partitions are the simulator's NAND model (src/sim/nand/partition-table.ts),
// so a package flashed into the simulated module lands exactly where its boot logic looks.
//
// Which image goes to which partition is DEFC's listing of the real
// rawprogram_nand_p4K_b256K_update.xml of EC25EFAR06A01M4G: sbl ← sbl1.mbn, mibib ←
// partition_complete, tz, rpm, aboot ← appsboot.mbn, boot and recovery ← mdm9607-perf-boot.img,
// recoveryfs_b and recoveryfs ← the recovery .ubi, modem and qdsp6sw_b ← NON-HLOS.ubi, sys_back
// and system ← the sysfs .ubi. efs2 (calibration) is never touched by an update package.
import { NAND_PRESETS, type NandPresetName } from '../nand/nand-geometry.js';

export type PackageGeometry = NandPresetName;
export const PACKAGE_GEOMETRIES = Object.keys(NAND_PRESETS) as readonly PackageGeometry[];

/** `full`: real sizes (~90 MB of images); `small`: a few KiB per image, so tests flash in moments. */
export const PACKAGE_SIZES = ['full', 'small'] as const;
export type PackageSize = (typeof PACKAGE_SIZES)[number];

/**
 * How an image file is built, which decides where its descriptor sits (image-descriptor.ts):
 * `elf` — a 32-bit ELF like every Qualcomm .mbn boot image; `mibib` — the NAND partition table
 * block (partition_complete_*.mbn); `partition-table` — the bare table (partition.mbn);
 * `plain` — everything else (.ubi, .img).
 */
export type ImageContainer = 'plain' | 'elf' | 'mibib' | 'partition-table';

/** The Qualcomm build a file comes from, for contents.xml. */
export type BuildName = 'boot' | 'rpm' | 'tz' | 'modem' | 'apps' | 'common';

export interface ImageSpec {
  /** Path inside the package, '/'-separated; `{geometry}` is replaced by e.g. p4K_b256K. */
  readonly path: string;
  readonly container: ImageContainer;
  /** Partitions the rawprogram writes it to; the first is the one its descriptor names. */
  readonly partitions: readonly string[];
  readonly build: BuildName;
  /** File size in bytes per package size; tables (mibib, partition-table) size themselves. */
  readonly bytes?: { readonly full: number; readonly small: number };
  /** ELF entry point / first load address. Made-up values in the MDM9607 style; nothing checks them. */
  readonly loadAddress?: number;
}

const MIB = 1024 * 1024;

/**
 * Full sizes add up to ~89 MiB (~93 MB): boot images of a few hundred KiB (the edl sheet §1.7
 * quotes a ~270 KB programmer), a 5 MiB Linux boot image and three UBI images of tens of MiB
 * (whole 256 KiB erase blocks, as UBI images are). Each is clamped to what its smallest target
 * partition holds with a bad-block reserve (see package-plan.ts): with the simulator's partition
 * sizes (the same bytes in both geometries) that changes nothing.
 */
export const PACKAGE_IMAGES: readonly ImageSpec[] = [
  { path: 'update/sbl1.mbn', container: 'elf', partitions: ['sbl'], build: 'boot', bytes: { full: 0x3d2a0, small: 0x3a40 }, loadAddress: 0x08005000 },
  { path: 'update/firehose/partition_complete_{geometry}.mbn', container: 'mibib', partitions: ['mibib'], build: 'boot' },
  { path: 'update/tz.mbn', container: 'elf', partitions: ['tz'], build: 'tz', bytes: { full: 0x68a40, small: 0x4c80 }, loadAddress: 0x87c00000 },
  { path: 'update/rpm.mbn', container: 'elf', partitions: ['rpm'], build: 'rpm', bytes: { full: 0x27c10, small: 0x3100 }, loadAddress: 0x00200000 },
  { path: 'update/appsboot.mbn', container: 'elf', partitions: ['aboot'], build: 'apps', bytes: { full: 0x49f80, small: 0x3d70 }, loadAddress: 0x82900000 },
  { path: 'update/mdm9607-perf-boot.img', container: 'plain', partitions: ['boot', 'recovery'], build: 'apps', bytes: { full: 5 * MIB + 0x1d00, small: 0x5e00 } },
  { path: 'update/mdm-perf-recovery-image-mdm9607-perf.ubi', container: 'plain', partitions: ['recoveryfs', 'recoveryfs_b'], build: 'apps', bytes: { full: 12 * MIB, small: 0x8000 } },
  { path: 'update/NON-HLOS.ubi', container: 'plain', partitions: ['modem', 'qdsp6sw_b'], build: 'modem', bytes: { full: 48 * MIB, small: 0xc000 } },
  { path: 'update/mdm9607-perf-sysfs.ubi', container: 'plain', partitions: ['system', 'sys_back'], build: 'apps', bytes: { full: 22 * MIB, small: 0xa000 } },
  // Not flashed by Firehose: the Sahara programmer, and the streaming-download programmers and
  // table QFirehose uses for a module stuck in SBL download mode (quectel sheet §2.4).
  { path: 'update/firehose/prog_nand_firehose_9x07.mbn', container: 'elf', partitions: [], build: 'boot', bytes: { full: 0x42f38, small: 0x3b58 }, loadAddress: 0x08008000 },
  { path: 'update/ENPRG9x07.mbn', container: 'elf', partitions: [], build: 'boot', bytes: { full: 0x46a30, small: 0x3520 }, loadAddress: 0x08008000 },
  { path: 'update/NPRG9x07.mbn', container: 'elf', partitions: [], build: 'boot', bytes: { full: 0x45b18, small: 0x3490 }, loadAddress: 0x08008000 },
  { path: 'update/partition.mbn', container: 'partition-table', partitions: [], build: 'boot' },
];

/** UBI images are made of whole erase blocks; 256 KiB is a multiple of both geometries' blocks. */
export const UBI_GRANULE = 256 * 1024;

/** The programmer Sahara serves as image 13 (quectel sheet §2.5). */
export const PROGRAMMER_PATH = 'update/firehose/prog_nand_firehose_9x07.mbn';

export const CONTENTS_PATH = 'contents.xml';
export const MD5_PATH = 'md5.txt';
export const PARTITION_XML_PATH = 'update/partition_nand.xml';

export function rawprogramPath(geometry: PackageGeometry): string {
  return `update/firehose/rawprogram_nand_${geometry}_update.xml`;
}

export function patchPath(geometry: PackageGeometry): string {
  return `update/firehose/patch_${geometry}.xml`;
}

export function imagePath(spec: ImageSpec, geometry: PackageGeometry): string {
  return spec.path.replace('{geometry}', geometry);
}

/** The file name alone, as the descriptor and contents.xml carry it. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
