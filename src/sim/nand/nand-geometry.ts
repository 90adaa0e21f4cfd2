// NAND geometry of the MDM9607 modules. For NAND, a Firehose "sector" is one page
// (edl sheet §2.9); Quectel ships p4K_b256K (4 KiB pages) and p2K_b128K (2 KiB pages) packages,
// both with 64 pages per block (quectel sheet §2.6).
import { SimNandError } from './nand-errors.js';

const MIB = 1024 * 1024;

/**
 * The two geometries of the sheets. Spare sizes and part names: edl sheet §2.9 lists
 * FM6BD4G2GXA (512 MiB, 4 KiB page, 256 KiB block, OOB 224) for Quectel and 2 KiB / 128 KiB /
 * OOB 64 for other 9x07-class parts. The 256 MiB default for p2K_b128K is our reading of the
 * "M2G" (2 Gbit) firmware suffix — UNVERIFIED (quectel sheet §2.9 marks that meaning inferred);
 * so is the 2 KiB part name, which the sheet does not give.
 */
export const NAND_PRESETS = {
  p4K_b256K: { pageSize: 4096, pagesPerBlock: 64, spareSize: 224, totalBytes: 512 * MIB, flashName: 'FM6BD4G2GXA' },
  p2K_b128K: { pageSize: 2048, pagesPerBlock: 64, spareSize: 64, totalBytes: 256 * MIB, flashName: 'NAND_2K_128K' },
} as const;

export type NandPresetName = keyof typeof NAND_PRESETS;

export interface NandGeometry {
  /** Main-area bytes per page; the Firehose SECTOR_SIZE_IN_BYTES. */
  readonly pageSize: number;
  readonly pagesPerBlock: number;
  readonly blockCount: number;
  /** Spare (OOB) bytes per page; page + spare is TOTAL_SECTOR_SIZE_IN_BYTES in getstorageinfo. */
  readonly spareSize: number;
  /** What the programmer reports as FLASH_NAME. */
  readonly flashName: string;
}

export interface NandGeometryOptions {
  readonly preset?: NandPresetName;
  /** Total main-area size; smaller than the preset's for tests. Must be whole blocks. */
  readonly totalBytes?: number;
  readonly flashName?: string;
}

export function nandGeometry(options: NandGeometryOptions = {}): NandGeometry {
  const preset = NAND_PRESETS[options.preset ?? 'p4K_b256K'];
  const totalBytes = options.totalBytes ?? preset.totalBytes;
  const blockBytes = preset.pageSize * preset.pagesPerBlock;
  if (!Number.isSafeInteger(totalBytes) || totalBytes <= 0 || totalBytes % blockBytes !== 0) {
    throw new SimNandError('SIM_NAND_GEOMETRY', `NAND size ${totalBytes} is not a whole number of ${blockBytes}-byte blocks`, {
      hint: `Use a multiple of ${blockBytes} bytes for the ${options.preset ?? 'p4K_b256K'} geometry.`,
    });
  }
  return {
    pageSize: preset.pageSize,
    pagesPerBlock: preset.pagesPerBlock,
    blockCount: totalBytes / blockBytes,
    spareSize: preset.spareSize,
    flashName: options.flashName ?? preset.flashName,
  };
}

export function blockBytes(geometry: NandGeometry): number {
  return geometry.pageSize * geometry.pagesPerBlock;
}

export function totalPages(geometry: NandGeometry): number {
  return geometry.blockCount * geometry.pagesPerBlock;
}

export function totalBytes(geometry: NandGeometry): number {
  return totalPages(geometry) * geometry.pageSize;
}

/** The preset a geometry was made from (both presets have 64 pages per block; the page size tells them apart). */
export function presetOf(geometry: NandGeometry): NandPresetName | undefined {
  return (Object.keys(NAND_PRESETS) as NandPresetName[]).find((name) => NAND_PRESETS[name].pageSize === geometry.pageSize && NAND_PRESETS[name].pagesPerBlock === geometry.pagesPerBlock);
}

export function isNandPresetName(value: string): value is NandPresetName {
  return Object.hasOwn(NAND_PRESETS, value);
}

export function sameGeometry(a: NandGeometry, b: NandGeometry): boolean {
  return a.pageSize === b.pageSize && a.pagesPerBlock === b.pagesPerBlock && a.blockCount === b.blockCount && a.spareSize === b.spareSize;
}
