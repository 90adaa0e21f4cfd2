// Everything about a package that follows from its options, before a byte is written: the
// partitions, each image's size, and the program lines of the rawprogram XML.
import { partitionLayout, type PartitionSpec } from '../nand/partition-table.js';
import { NAND_PRESETS } from '../nand/nand-geometry.js';
import { PACKAGE_IMAGES, UBI_GRANULE, baseName, imagePath, type ImageSpec, type PackageGeometry, type PackageSize } from './package-layout.js';
import { MIBIB_PAGES, PARTITION_MBN_BYTES } from './mibib.js';
import { MIN_ELF_IMAGE_BYTES } from './elf-image.js';
import { SimPackageError } from './package-errors.js';

/** NAND pages per erase block in both geometries (edl sheet §2.9). */
export const PAGES_PER_BLOCK = 64;

/**
 * Blocks of each partition an image must leave free, so the programmer can skip bad blocks
 * without running into the next partition: 1 in 16, at least one. Our margin, not a Quectel rule.
 */
export function reservedBlocks(spec: PartitionSpec): number {
  return Math.max(1, Math.ceil(spec.blockCount / 16));
}

export interface PlannedImage {
  readonly spec: ImageSpec;
  /** Path in the package with the geometry filled in. */
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly partitions: readonly PartitionSpec[];
}

export interface ProgramLine {
  readonly image: PlannedImage;
  readonly partition: PartitionSpec;
}

export interface PackagePlan {
  readonly geometry: PackageGeometry;
  readonly pageSize: number;
  readonly blockBytes: number;
  readonly layout: readonly PartitionSpec[];
  readonly images: readonly PlannedImage[];
  /** In partition order, as the rawprogram lists them. */
  readonly programs: readonly ProgramLine[];
}

export interface PlanOptions {
  readonly geometry: PackageGeometry;
  readonly size: PackageSize;
  /** Sizes to use instead of the planned ones (the oversized-image defect). */
  readonly sizeOverrides?: ReadonlyMap<string, number> | undefined;
}

export function planPackage(options: PlanOptions): PackagePlan {
  const { geometry } = options;
  const pageSize = NAND_PRESETS[geometry].pageSize;
  const blockBytes = pageSize * PAGES_PER_BLOCK;
  const layout = partitionLayout(geometry);
  const byName = new Map(layout.map((spec) => [spec.name, spec]));
  const images = PACKAGE_IMAGES.map((spec): PlannedImage => {
    const path = imagePath(spec, geometry);
    const partitions = spec.partitions.map((name) => {
      const partition = byName.get(name);
      if (partition === undefined) throw new SimPackageError('SIM_PACKAGE_LAYOUT', `the package layout names partition ${name}, which the NAND model does not have`);
      return partition;
    });
    const size = options.sizeOverrides?.get(path) ?? imageSize(spec, { ...options, pageSize, blockBytes, partitions });
    return { spec, path, name: baseName(path), size, partitions };
  });
  const programs = images
    .flatMap((image) => image.partitions.map((partition) => ({ image, partition })))
    .sort((a, b) => a.partition.startBlock - b.partition.startBlock);
  return { geometry, pageSize, blockBytes, layout, images, programs };
}

/**
 * The nominal size, clamped to what the smallest target partition holds after its bad-block
 * reserve (UBI images to whole 256 KiB erase blocks). Both geometries' layouts give every partition
 * the same bytes (partitionLayout), so the nominal sizes fit both; the clamp guards oversized specs.
 */
function imageSize(spec: ImageSpec, context: PlanOptions & { pageSize: number; blockBytes: number; partitions: readonly PartitionSpec[] }): number {
  if (spec.container === 'mibib') return MIBIB_PAGES * context.pageSize;
  if (spec.container === 'partition-table') return PARTITION_MBN_BYTES;
  const nominal = spec.bytes?.[context.size];
  if (nominal === undefined) throw new SimPackageError('SIM_PACKAGE_LAYOUT', `the package layout gives no size for ${spec.path}`);
  const room = Math.min(...context.partitions.map((partition) => (partition.blockCount - reservedBlocks(partition)) * context.blockBytes));
  if (nominal <= room) return nominal;
  const clamped = spec.path.endsWith('.ubi') ? Math.floor(room / UBI_GRANULE) * UBI_GRANULE : room;
  if (clamped < MIN_ELF_IMAGE_BYTES) throw new SimPackageError('SIM_PACKAGE_LAYOUT', `${spec.path} cannot fit its ${context.partitions.map((p) => p.name).join('/')} partition`);
  return clamped;
}

/** The partition's capacity in bytes. */
export function partitionBytes(plan: PackagePlan, partition: PartitionSpec): number {
  return partition.blockCount * plan.blockBytes;
}

export function findImage(plan: PackagePlan, path: string): PlannedImage | undefined {
  return plan.images.find((image) => image.path === path);
}
