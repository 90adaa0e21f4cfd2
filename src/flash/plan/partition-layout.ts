import type { ModuleStorage } from '../package/check-geometry.js';
import { blockBytes, type NandGeometry } from '../package/geometry.js';
import { findPartition, partitionSectors, type NandPartitionTable } from '../package/partition-table.js';
import type { PerUnitPartition } from '../package/per-unit.js';
import { FlashPlanError } from './errors.js';
import { planNote, type PlanNote } from './steps.js';

// Where the per-unit partitions are. No package contains them, so their place comes from a
// partition table (edl-protocols.md §2.9), best the module's own (read from sector 640 before
// anything is written: that is where its efs2 really is), else the package's, else — only when the
// caller asks for it — the reference layout of the sheet. If module and package disagree about
// where efs2 is, the new firmware would look for the calibration in the wrong place: refused.

export type PartitionTableSource = 'module' | 'package' | 'reference';

export interface PartitionLayoutOptions {
  /** The module's table, parsed from the MIBIB's pages (sector 640, 1024 or 2048: MIBIB_CANDIDATE_SECTORS). */
  readonly moduleTable?: NandPartitionTable | undefined;
  readonly packageTable: NandPartitionTable | undefined;
  /** Use the sheet's EC25 reference layout when no table is known (a warning in the plan). */
  readonly assumeReferenceLayout?: boolean | undefined;
  readonly geometry: NandGeometry;
  readonly perUnit: readonly PerUnitPartition[];
}

export interface PartitionLayout {
  readonly table: NandPartitionTable;
  readonly source: PartitionTableSource;
  readonly notes: readonly PlanNote[];
}

/** quectel-ec25.md §2.6 [DEFC, EC25EFAR06A01M4G]: efs2 at 0x500000, 0x1600000 bytes — block 20 in 256 KiB blocks. */
export const EC25_REFERENCE_EFS2 = { offsetBytes: 0x500000, lengthBytes: 0x1600000 } as const;

export function referenceTable(geometry: NandGeometry): NandPartitionTable {
  const block = blockBytes(geometry);
  return {
    version: 0,
    offset: 0,
    partitions: [{
      name: 'efs2',
      rawName: '0:EFS2',
      // Block 20 on both geometries (the p2K_b128K tables in DEFC have efs2 at 0x280000 = block 20 too).
      startBlock: EC25_REFERENCE_EFS2.offsetBytes / (256 * 1024),
      blockCount: Math.floor(EC25_REFERENCE_EFS2.lengthBytes / block),
      attributes: [0xff, 0x01, 0xff],
      whichFlash: 0,
    }],
  };
}

export function choosePartitionLayout(options: PartitionLayoutOptions): PartitionLayout {
  const { moduleTable, packageTable } = options;
  if (moduleTable !== undefined) {
    if (packageTable !== undefined) checkSameLayout(moduleTable, packageTable, options.perUnit);
    return { table: moduleTable, source: 'module', notes: [] };
  }
  if (packageTable !== undefined) return { table: packageTable, source: 'package', notes: [planNote('TABLE_FROM_PACKAGE')] };
  if (options.assumeReferenceLayout === true) return { table: referenceTable(options.geometry), source: 'reference', notes: [planNote('REFERENCE_LAYOUT_ASSUMED')] };
  throw new FlashPlanError('PLAN_PARTITION_TABLE_UNKNOWN', 'no partition table: efs2 cannot be found to back it up', {
    hint: 'Read the module\'s table first (4 pages at sector 640, 1024 or 2048, parseNandPartitionTable), or use a package whose partition_complete_*.mbn is readable. Nothing is written without the efs2 backup.',
  });
}

function checkSameLayout(moduleTable: NandPartitionTable, packageTable: NandPartitionTable, perUnit: readonly PerUnitPartition[]): void {
  for (const { name } of perUnit) {
    const onModule = findPartition(moduleTable, name);
    const inPackage = findPartition(packageTable, name);
    if (onModule === undefined || inPackage === undefined) continue;
    if (onModule.startBlock !== inPackage.startBlock || onModule.blockCount !== inPackage.blockCount) {
      throw new FlashPlanError('PLAN_LAYOUT_CHANGE', `the package moves ${name}: blocks ${describe(onModule)} on the module, ${describe(inPackage)} in the package`, {
        hint: 'The new firmware would not find this unit\'s calibration. This package has another partition layout (another baseline?): use one with the module\'s layout.',
        details: { partition: name },
      });
    }
  }
}

function describe(partition: { readonly startBlock: number; readonly blockCount: number | undefined }): string {
  return `${partition.startBlock}+${partition.blockCount ?? 'rest'}`;
}

/** A per-unit partition's pages, resolved against the chip size. */
export function perUnitSectors(layout: PartitionLayout, name: string, geometry: Pick<NandGeometry, 'pagesPerBlock'>, storage: ModuleStorage): { readonly startSector: number; readonly numSectors: number } | undefined {
  const partition = findPartition(layout.table, name);
  if (partition === undefined) return undefined;
  const totalBlocks = storage.totalPages === undefined ? undefined : Math.floor(storage.totalPages / geometry.pagesPerBlock);
  return partitionSectors(partition, geometry.pagesPerBlock, totalBlocks);
}
