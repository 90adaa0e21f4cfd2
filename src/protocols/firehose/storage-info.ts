// What `<getstorageinfo/>` tells, read from the programmer's log lines (edl-protocols.md §2.7).
// The boot.bf NAND build logs `KEY = value` lines; newer programmers log one JSON object
// {"storage_info": {…}}. The boot.bf format carries no block geometry: pagesPerBlock and
// totalBlocks stay undefined there (the EC25 family uses 64 pages per block, §2.9 — the caller's
// decision, not a parse result).

export interface FirehoseStorageInfo {
  /** NAND page size = Firehose sector size (SECTOR_SIZE_IN_BYTES / page_size). */
  readonly pageSize: number | undefined;
  /** NUM_PARTITION_SECTORS: pages on the chip. */
  readonly totalPages: number | undefined;
  /** TOTAL_SECTOR_SIZE_IN_BYTES: page plus spare (OOB) bytes. */
  readonly totalSectorSize: number | undefined;
  /** JSON `block_size`. UNVERIFIED unit: the sheet does not say; qdl/edl store it as is. */
  readonly blockSize: number | undefined;
  /** Only when `blockSize` is a whole multiple of `pageSize` (taken as bytes, see above). */
  readonly pagesPerBlock: number | undefined;
  readonly totalBlocks: number | undefined;
  readonly flashName: string | undefined;
  readonly physicalPartitions: number | undefined;
  readonly memoryType: string | undefined;
  /** BAD_BLOCK=n lines, in the order logged. */
  readonly badBlocks: readonly number[];
  readonly totalBadBlocks: number | undefined;
  /** The log lines this was read from. */
  readonly logs: readonly string[];
}

const KEY_VALUE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

export function parseStorageInfo(logs: readonly string[]): FirehoseStorageInfo {
  const values = new Map<string, string>();
  const badBlocks: number[] = [];
  let json: Record<string, unknown> = {};
  for (const line of logs) {
    const brace = line.indexOf('{');
    if (brace >= 0 && line.includes('storage_info')) {
      json = parseJsonStorageInfo(line.slice(brace)) ?? json;
      continue;
    }
    const match = KEY_VALUE.exec(line);
    if (match === null) continue;
    const key = (match[1] ?? '').toUpperCase();
    const value = match[2] ?? '';
    if (key === 'BAD_BLOCK') {
      const block = toNumber(value);
      if (block !== undefined) badBlocks.push(block);
    } else {
      values.set(key, value);
    }
  }
  const number = (key: string): number | undefined => toNumber(values.get(key));
  const jsonNumber = (key: string): number | undefined => (typeof json[key] === 'number' ? json[key] : toNumber(typeof json[key] === 'string' ? json[key] : undefined));
  const jsonString = (key: string): string | undefined => (typeof json[key] === 'string' ? json[key] : undefined);
  const pageSize = number('SECTOR_SIZE_IN_BYTES') ?? jsonNumber('page_size');
  const blockSize = jsonNumber('block_size');
  const pagesPerBlock = pageSize !== undefined && blockSize !== undefined && blockSize >= pageSize && blockSize % pageSize === 0 ? blockSize / pageSize : undefined;
  return {
    pageSize,
    totalPages: number('NUM_PARTITION_SECTORS'),
    totalSectorSize: number('TOTAL_SECTOR_SIZE_IN_BYTES'),
    blockSize,
    pagesPerBlock,
    totalBlocks: jsonNumber('total_blocks'),
    flashName: values.get('FLASH_NAME') ?? jsonString('prod_name'),
    physicalPartitions: number('NUM_PHYSICAL_PARTITIONS') ?? jsonNumber('num_physical'),
    memoryType: jsonString('mem_type'),
    badBlocks,
    totalBadBlocks: number('TOTAL_BAD_BLOCK'),
    logs,
  };
}

function parseJsonStorageInfo(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    const info = (parsed as { storage_info?: unknown } | null)?.storage_info;
    return typeof info === 'object' && info !== null ? (info as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function toNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
