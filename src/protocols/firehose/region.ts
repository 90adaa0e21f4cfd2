import { UsageError } from '../../core/errors.js';
import type { FirehoseAttributes, FirehoseAttributeValue } from './xml-encode.js';

// The addressing attributes shared by <program>, <read> and <erase> (edl-protocols.md §2.4–2.6),
// declared once: our names on the left, the wire names on the right, in the order we send them.

export interface FirehoseRegion {
  /** In sectors (NAND: pages). A string passes expressions through (eMMC/UFS builds only, §2.1). */
  readonly startSector: number | string;
  /** num_partition_sectors. For `program` it may be left out: it follows from the data size. */
  readonly numSectors?: number;
  /** SECTOR_SIZE_IN_BYTES; on NAND it must equal the page size (§2.4). Defaults to the page size getstorageinfo reported. */
  readonly sectorSize?: number;
  /** PAGES_PER_BLOCK, required by the NAND programmer (§2.4, §5). Defaults to the value given to configure. */
  readonly pagesPerBlock?: number;
  /** 0 on NAND. */
  readonly physicalPartitionNumber?: number;
  readonly lastSector?: number;
  readonly label?: string;
  /** Informational only (§2.4). */
  readonly filename?: string;
  /** Sent as they are, after the attributes above (e.g. Quectel's vendor attributes, §2.6). */
  readonly extraAttributes?: FirehoseAttributes;
}

export const regionAttributeNames = {
  sectorSize: 'SECTOR_SIZE_IN_BYTES',
  numSectors: 'num_partition_sectors',
  physicalPartitionNumber: 'physical_partition_number',
  startSector: 'start_sector',
  pagesPerBlock: 'PAGES_PER_BLOCK',
  lastSector: 'last_sector',
  label: 'label',
  filename: 'filename',
} as const satisfies Readonly<Record<Exclude<keyof FirehoseRegion, 'extraAttributes'>, string>>;

/** `numSectors` 0xFFFFFFFF with start 0 erases the whole chip (§2.6). */
export const WHOLE_CHIP_SECTORS = 0xffffffff;

export function regionAttributes(region: FirehoseRegion): Record<string, FirehoseAttributeValue> {
  const attributes: Record<string, FirehoseAttributeValue> = {};
  for (const [key, wire] of Object.entries(regionAttributeNames) as [keyof typeof regionAttributeNames, string][]) {
    const value = region[key];
    if (value !== undefined) attributes[wire] = value;
  }
  const taken = new Set(Object.keys(attributes).map((name) => name.toLowerCase()));
  for (const [name, value] of Object.entries(region.extraAttributes ?? {})) {
    if (!taken.has(name.toLowerCase())) attributes[name] = value;
  }
  return attributes;
}

/** §2.6: on NAND an erase starts and ends on block boundaries; the programmer NAKs otherwise. */
export function checkEraseAlignment(region: FirehoseRegion, pagesPerBlock: number): void {
  const { startSector, numSectors } = region;
  if (typeof startSector === 'number' && startSector % pagesPerBlock !== 0) {
    throw new UsageError(`erase start_sector ${startSector} is not a multiple of PAGES_PER_BLOCK ${pagesPerBlock}`, {
      hint: 'NAND erases whole blocks: start and length must be multiples of the pages per block (edl-protocols.md §2.6).',
    });
  }
  if (numSectors !== undefined && numSectors !== WHOLE_CHIP_SECTORS && numSectors % pagesPerBlock !== 0) {
    throw new UsageError(`erase num_partition_sectors ${numSectors} is not a multiple of PAGES_PER_BLOCK ${pagesPerBlock}`, {
      hint: 'NAND erases whole blocks: start and length must be multiples of the pages per block (edl-protocols.md §2.6).',
    });
  }
}
