import { WHOLE_CHIP_SECTORS } from '../../protocols/firehose/region.js';
import type { ModuleStorage } from './check-geometry.js';
import type { ResolvedImage } from './check-images.js';
import type { NandGeometry } from './geometry.js';
import { partitionAtSector, partitionSectors, type NandPartitionTable } from './partition-table.js';
import type { PerUnitPartition } from './per-unit.js';
import { problem, type PackageProblem } from './problems.js';
import type { Rawprogram } from './rawprogram.js';

// Where the package writes, checked before anything is: erases block-aligned (edl-protocols.md
// §2.6), no whole-chip erase (it wipes the calibration, quectel-ec25.md §5.1), every image fits its
// partition — also once the programmer has skipped the bad blocks in it (§2.4) — no two images on
// the same pages, nothing past the end of the chip, and nothing on a per-unit partition.

export interface SizedImage extends ResolvedImage {
  /** Pages the image fills (the last one padded). */
  readonly sectors: number;
  /** Pages of the partition it goes to. */
  readonly capacitySectors: number;
}

export interface RegionInputs {
  readonly rawprogram: Rawprogram;
  readonly images: readonly ResolvedImage[];
  readonly geometry: NandGeometry;
  readonly table: NandPartitionTable | undefined;
  readonly storage: ModuleStorage | undefined;
  readonly perUnit: readonly PerUnitPartition[];
}

interface Extent {
  readonly start: number;
  readonly end: number;
}

export function checkRegions(inputs: RegionInputs): { readonly images: readonly SizedImage[]; readonly problems: readonly PackageProblem[] } {
  const { rawprogram, geometry, table, storage } = inputs;
  const file = rawprogram.file;
  const problems: PackageProblem[] = [];
  const ppb = geometry.pagesPerBlock;
  const totalPages = storage?.totalPages;
  const protectedExtents = perUnitExtents(table, inputs.perUnit, ppb, totalPages);
  const checkWrite = (extent: Extent, what: string, line: number): void => {
    if (totalPages !== undefined && extent.end > totalPages) {
      problems.push(problem('REGION_BEYOND_DEVICE', `${what} ends at page ${extent.end}; the module's NAND has ${totalPages}`, { file, line }));
    }
    for (const guarded of protectedExtents) {
      if (overlaps(extent, guarded)) problems.push(problem('WRITES_PER_UNIT_DATA', `${what} (pages ${extent.start}–${extent.end - 1}) reaches ${guarded.name} (pages ${guarded.start}–${guarded.end - 1})`, { file, line }));
    }
  };

  for (const erase of rawprogram.erases) {
    const where = { file, line: erase.line };
    const count = erase.numSectors ?? 0;
    if (count === WHOLE_CHIP_SECTORS) {
      problems.push(problem('WHOLE_CHIP_ERASE', `erase of the whole chip (num_partition_sectors=${count}) from sector ${erase.startSector}`, where));
      continue;
    }
    if (erase.startSector % ppb !== 0 || count % ppb !== 0) {
      problems.push(problem('REGION_UNALIGNED', `erase start ${erase.startSector}, ${count} sectors: not whole blocks of ${ppb} pages`, where));
    }
    checkWrite({ start: erase.startSector, end: erase.startSector + count }, 'erase', erase.line);
  }

  const sized: SizedImage[] = [];
  for (const image of inputs.images) {
    const { program, entry } = image;
    const where = { file, line: program.line };
    if (program.sparse || (program.fileSectorOffset ?? 0) !== 0) {
      problems.push(problem('SPARSE_NOT_SUPPORTED', `${entry.path}: sparse="${String(program.sparse)}" file_sector_offset=${program.fileSectorOffset ?? 0}`, where));
      continue;
    }
    const sectors = Math.ceil(entry.size / geometry.pageSize);
    const capacity = capacityOf(image, inputs, ppb);
    if (capacity === undefined) {
      problems.push(problem('PARTITION_SIZE_UNKNOWN', `${entry.path} at sector ${program.startSector}: no num_partition_sectors, no erase line and no partition starting there`, where));
      continue;
    }
    if (sectors > capacity) {
      problems.push(problem('FILE_TOO_LARGE', `${entry.path} is ${entry.size} bytes (${sectors} pages); its partition at sector ${program.startSector} has ${capacity} pages (${capacity * geometry.pageSize} bytes)`, {
        ...where,
        details: { bytes: entry.size, capacityBytes: capacity * geometry.pageSize },
      }));
      continue;
    }
    const bad = badBlocksIn({ start: program.startSector, end: program.startSector + capacity }, storage?.badBlocks, ppb);
    const usableBlocks = Math.floor(capacity / ppb) - bad;
    if (bad > 0 && Math.ceil(sectors / ppb) > usableBlocks) {
      problems.push(problem('BAD_BLOCKS_OVERFLOW', `${entry.path} needs ${Math.ceil(sectors / ppb)} blocks; its partition has ${usableBlocks} good ones (${bad} bad)`, where));
    }
    checkWrite({ start: program.startSector, end: program.startSector + sectors }, `program ${entry.path}`, program.line);
    sized.push({ ...image, sectors, capacitySectors: capacity });
  }

  for (let i = 0; i < sized.length; i += 1) {
    for (let j = i + 1; j < sized.length; j += 1) {
      const a = sized[i];
      const b = sized[j];
      if (a === undefined || b === undefined) continue;
      if (overlaps(extentOf(a), extentOf(b))) {
        problems.push(problem('REGIONS_OVERLAP', `${a.entry.path} (line ${a.program.line}) and ${b.entry.path} write the same pages`, { file, line: b.program.line }));
      }
    }
  }
  if (!rawprogram.programs.some((program) => program.startSector === 0)) {
    problems.push(problem('SBL_NOT_IN_PACKAGE', 'no program line at start_sector 0 (sbl1.mbn)', { file }));
  }
  return { images: sized, problems };
}

/** The partition size a program line is checked against: its own count, the erase at the same start, or the partition table. */
function capacityOf(image: ResolvedImage, inputs: RegionInputs, ppb: number): number | undefined {
  const { program } = image;
  if (program.numSectors !== undefined) return program.numSectors;
  const erase = inputs.rawprogram.erases.find((line) => line.startSector === program.startSector && line.numSectors !== undefined);
  if (erase?.numSectors !== undefined) return erase.numSectors;
  if (inputs.table === undefined) return undefined;
  const partition = partitionAtSector(inputs.table, program.startSector, ppb);
  if (partition === undefined || partition.startBlock * ppb !== program.startSector) return undefined;
  return partitionSectors(partition, ppb, inputs.storage?.totalPages === undefined ? undefined : Math.floor(inputs.storage.totalPages / ppb))?.numSectors;
}

function perUnitExtents(table: NandPartitionTable | undefined, perUnit: readonly PerUnitPartition[], ppb: number, totalPages: number | undefined): (Extent & { name: string })[] {
  if (table === undefined) return [];
  const totalBlocks = totalPages === undefined ? undefined : Math.floor(totalPages / ppb);
  const extents: (Extent & { name: string })[] = [];
  for (const { name } of perUnit) {
    const partition = table.partitions.find((entry) => entry.name === name);
    const sectors = partition === undefined ? undefined : partitionSectors(partition, ppb, totalBlocks);
    if (sectors !== undefined) extents.push({ name, start: sectors.startSector, end: sectors.startSector + sectors.numSectors });
  }
  return extents;
}

function extentOf(image: SizedImage): Extent {
  return { start: image.program.startSector, end: image.program.startSector + image.sectors };
}

function overlaps(a: Extent, b: Extent): boolean {
  return a.start < b.end && b.start < a.end;
}

/** BAD_BLOCK=n values of getstorageinfo, taken as block numbers (edl-protocols.md §2.7; UNVERIFIED unit). */
function badBlocksIn(extent: Extent, badBlocks: readonly number[] | undefined, ppb: number): number {
  if (badBlocks === undefined) return 0;
  const first = Math.floor(extent.start / ppb);
  const end = Math.ceil(extent.end / ppb);
  return new Set(badBlocks.filter((block) => block >= first && block < end)).size;
}
