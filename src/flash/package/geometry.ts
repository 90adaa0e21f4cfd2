// NAND geometry of a package. For NAND a Firehose "sector" is one page, and Quectel names its
// files after the geometry they are built for: p4K_b256K = 4 KiB pages in 256 KiB blocks,
// p2K_b128K = 2 KiB pages in 128 KiB blocks — 64 pages per block in both (quectel-ec25.md §2.6,
// edl-protocols.md §2.9). The programmer NAKs any line whose SECTOR_SIZE_IN_BYTES or
// PAGES_PER_BLOCK differs from the chip's (edl-protocols.md §2.4).

export interface NandGeometry {
  /** = SECTOR_SIZE_IN_BYTES. */
  readonly pageSize: number;
  readonly pagesPerBlock: number;
  /** The token as it appears in file names, e.g. p4K_b256K. */
  readonly token: string;
}

/** The EC25 family's pages per block, both geometries (edl-protocols.md §2.9). */
export const EC25_PAGES_PER_BLOCK = 64;

const TOKEN = /(?:^|[^A-Za-z0-9])p(\d+)K_b(\d+)K(?=$|[^A-Za-z0-9])/i;

/** The geometry a file name declares, or undefined if it declares none. */
export function geometryFromName(name: string): NandGeometry | undefined {
  const match = TOKEN.exec(name);
  if (match === null) return undefined;
  const page = Number(match[1]) * 1024;
  const block = Number(match[2]) * 1024;
  if (page <= 0 || block < page || block % page !== 0) return undefined;
  return { pageSize: page, pagesPerBlock: block / page, token: `p${match[1] ?? ''}K_b${match[2] ?? ''}K` };
}

export function blockBytes(geometry: Pick<NandGeometry, 'pageSize' | 'pagesPerBlock'>): number {
  return geometry.pageSize * geometry.pagesPerBlock;
}

export function formatGeometry(geometry: Pick<NandGeometry, 'pageSize' | 'pagesPerBlock'>): string {
  return `${geometry.pageSize}-byte pages × ${geometry.pagesPerBlock} per block`;
}
