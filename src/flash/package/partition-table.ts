// The NAND partition table (MIBIB) of the MDM9607: where sbl, efs2, modem… sit, in blocks. It is
// what the package writes at start_sector 640 (partition_complete_p?K_b???K.mbn) and what the module
// holds there; edl reads it the same way (edl-protocols.md §2.9): magic 0x55EE73AA 0xE35EBDDB,
// version, count, then 28-byte entries — a 16-byte name ("0:SBL", "0:EFS2"…), start block, length in
// blocks, three attribute bytes, which_flash. We need it to find the per-unit partitions (efs2)
// that no package contains (quectel-ec25.md §2.6, §5.1), to back them up and to keep writes off them.

export const nandPartitionTableLayout = {
  magic1: 0x55ee73aa,
  magic2: 0xe35ebddb,
  /** magic1, magic2, version, count: u32 little-endian each. */
  headerSize: 16,
  entrySize: 28,
  nameSize: 16,
  /** Entry fields after the name: start u32, length u32, attr1..3 u8, which_flash u8. */
  startOffset: 16,
  lengthOffset: 20,
  attributesOffset: 24,
  whichFlashOffset: 27,
  /** A length of all ones: the partition runs to the end of the flash (the last one, `system`). */
  toEnd: 0xffffffff,
} as const;

/** Where the MIBIB sits on the module: block 10 of 64-page blocks = sector 640, 4 pages (edl-protocols.md §2.9). */
export const MIBIB_START_SECTOR = 640;
/**
 * Where to look for the MIBIB on a module, in order: sector 640 (the EC25 packages' rawprogram),
 * then 1024 and 2048, the other places qdl scans for it (linux-msm/qdl gpt.c, nand_find_mibib:
 * 0x280, 0x400, 0x800 — the MBN header on the first page, the table on the next). Which one a
 * 2 KiB-page module uses is UNVERIFIED: no sheet gives a p2K_b128K package's rawprogram.
 */
export const MIBIB_CANDIDATE_SECTORS: readonly number[] = [MIBIB_START_SECTOR, 0x400, 0x800];
export const MIBIB_PAGES = 4;

/** The EC25 family has 19 partitions (quectel-ec25.md §2.6); more than this is not a table. */
const MAX_PARTITIONS = 64;

export interface NandPartition {
  /** Lower case, without the `0:` prefix: `efs2`, `sbl`, `sys_rev`. */
  readonly name: string;
  /** As stored, e.g. `0:EFS2`. */
  readonly rawName: string;
  readonly startBlock: number;
  /** undefined: runs to the end of the flash. */
  readonly blockCount: number | undefined;
  readonly attributes: readonly [number, number, number];
  readonly whichFlash: number;
}

export interface NandPartitionTable {
  readonly version: number;
  readonly partitions: readonly NandPartition[];
  /** Byte offset of the table in the bytes it was read from. */
  readonly offset: number;
}

/** The table found in `bytes` (a partition_complete_*.mbn, or pages read from sector 640), or undefined. */
export function parseNandPartitionTable(bytes: Uint8Array): NandPartitionTable | undefined {
  const layout = nandPartitionTableLayout;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset + layout.headerSize <= bytes.length; offset += 4) {
    if (view.getUint32(offset, true) !== layout.magic1 || view.getUint32(offset + 4, true) !== layout.magic2) continue;
    const table = readTable(bytes, view, offset);
    if (table !== undefined) return table;
  }
  return undefined;
}

function readTable(bytes: Uint8Array, view: DataView, offset: number): NandPartitionTable | undefined {
  const layout = nandPartitionTableLayout;
  const version = view.getUint32(offset + 8, true);
  const count = view.getUint32(offset + 12, true);
  if (count === 0 || count > MAX_PARTITIONS || offset + layout.headerSize + count * layout.entrySize > bytes.length) return undefined;
  const partitions: NandPartition[] = [];
  for (let index = 0; index < count; index += 1) {
    const at = offset + layout.headerSize + index * layout.entrySize;
    const rawName = readName(bytes.subarray(at, at + layout.nameSize));
    if (rawName === undefined) return undefined;
    const length = view.getUint32(at + layout.lengthOffset, true);
    partitions.push({
      name: rawName.replace(/^\d+:/, '').toLowerCase(),
      rawName,
      startBlock: view.getUint32(at + layout.startOffset, true),
      blockCount: length === layout.toEnd ? undefined : length,
      attributes: [bytes[at + layout.attributesOffset] ?? 0, bytes[at + layout.attributesOffset + 1] ?? 0, bytes[at + layout.attributesOffset + 2] ?? 0],
      whichFlash: bytes[at + layout.whichFlashOffset] ?? 0,
    });
  }
  return { version, partitions, offset };
}

/** A NUL-terminated printable ASCII name, or undefined if the bytes are not one. */
function readName(field: Uint8Array): string | undefined {
  let text = '';
  for (const byte of field) {
    if (byte === 0) break;
    if (byte < 0x20 || byte > 0x7e) return undefined;
    text += String.fromCharCode(byte);
  }
  return text === '' ? undefined : text;
}

export function findPartition(table: NandPartitionTable, name: string): NandPartition | undefined {
  const wanted = name.toLowerCase();
  return table.partitions.find((partition) => partition.name === wanted);
}

/** The partition's pages; `totalBlocks` resolves a partition that runs to the end. */
export function partitionSectors(partition: NandPartition, pagesPerBlock: number, totalBlocks?: number): { readonly startSector: number; readonly numSectors: number } | undefined {
  const blocks = partition.blockCount ?? (totalBlocks === undefined ? undefined : totalBlocks - partition.startBlock);
  if (blocks === undefined || blocks <= 0) return undefined;
  return { startSector: partition.startBlock * pagesPerBlock, numSectors: blocks * pagesPerBlock };
}

/** The partition a sector falls in. */
export function partitionAtSector(table: NandPartitionTable, sector: number, pagesPerBlock: number): NandPartition | undefined {
  const block = Math.floor(sector / pagesPerBlock);
  return table.partitions.find((partition) => block >= partition.startBlock && (partition.blockCount === undefined || block < partition.startBlock + partition.blockCount));
}
