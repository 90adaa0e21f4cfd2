// Questions the simulator asks of the flash at power-on: is the boot chain there, is EFS blank,
// did an interrupted flash leave a partition half written or with torn pages?
import type { NandFlash } from './nand-flash.js';
import type { PartitionSpec, PartitionTable } from './partition-table.js';

export interface PartitionReport {
  readonly name: string;
  /** erased: nothing written; programmed: data and no torn page; damaged: a torn (unreadable) page. */
  readonly state: 'erased' | 'programmed' | 'damaged';
  readonly programmedPages: number;
  /** Absolute page numbers whose program was interrupted. */
  readonly uncorrectablePages: readonly number[];
  readonly badBlocks: readonly number[];
  /** Last programmed page relative to the partition start, if any: where a cut-off image ends. */
  readonly lastProgrammedPage: number | undefined;
}

export function inspectPartition(nand: NandFlash, table: PartitionTable, name: string): PartitionReport {
  const spec = table.get(name);
  let programmed = 0;
  let last: number | undefined;
  const torn: number[] = [];
  const bad: number[] = [];
  const first = table.firstPage(spec);
  for (let block = spec.startBlock; block < spec.startBlock + spec.blockCount; block += 1) {
    if (nand.isBadBlock(block)) bad.push(block);
  }
  for (let page = first; page < first + table.pageCount(spec); page += 1) {
    if (nand.isBadBlock(nand.blockOfPage(page))) continue;
    const state = nand.pageState(page);
    if (state === 'programmed') {
      programmed += 1;
      last = page - first;
    } else if (state === 'uncorrectable') {
      torn.push(page);
    }
  }
  const state = torn.length > 0 ? 'damaged' : programmed > 0 ? 'programmed' : 'erased';
  return { name, state, programmedPages: programmed, uncorrectablePages: torn, badBlocks: bad, lastProgrammedPage: last };
}

export function isPartitionErased(nand: NandFlash, table: PartitionTable, name: string): boolean {
  return inspectPartition(nand, table, name).state === 'erased';
}

/**
 * The first `length` bytes of a partition as the Firehose programmer wrote them: bad blocks are
 * skipped (the data moved to the next good block, edl sheet §2.4). Erased pages read 0xFF, torn
 * ones 0xDD (what the programmer's read returns, §2.5). Stops at the partition end.
 */
export function readPartitionImage(nand: NandFlash, table: PartitionTable, name: string, length: number): Uint8Array {
  const spec = table.get(name);
  const { pageSize } = nand.geometry;
  const out = new Uint8Array(Math.min(length, table.pageCount(spec) * pageSize)).fill(0xff);
  let offset = 0;
  for (const page of goodPages(nand, table, spec)) {
    if (offset >= out.length) break;
    const read = nand.readPage(page);
    const data = 'data' in read ? read.data : new Uint8Array(pageSize).fill(0xdd);
    out.set(data.subarray(0, out.length - offset), offset);
    offset += pageSize;
  }
  return out;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;

/**
 * Would the PBL find a boot image in `partition` (default sbl)? With `expected` the partition must
 * start with exactly those bytes; without, the first good page must start with the ELF magic —
 * sbl1.mbn of the MDM9607 packages is an ELF, but what the PBL really checks (signatures, NAND
 * codeword headers) is not in the sheets: a heuristic, UNVERIFIED. A torn page anywhere in the
 * image's extent also fails it.
 */
export function bootImageLooksValid(nand: NandFlash, table: PartitionTable, options: { partition?: string; expected?: Uint8Array } = {}): boolean {
  const name = options.partition ?? 'sbl';
  const report = inspectPartition(nand, table, name);
  if (report.state !== 'programmed') return false;
  if (options.expected !== undefined) {
    const image = readPartitionImage(nand, table, name, options.expected.length);
    return image.length === options.expected.length && image.every((byte, index) => byte === options.expected?.[index]);
  }
  const head = readPartitionImage(nand, table, name, ELF_MAGIC.length);
  return ELF_MAGIC.every((byte, index) => head[index] === byte);
}

function* goodPages(nand: NandFlash, table: PartitionTable, spec: PartitionSpec): Generator<number> {
  const first = table.firstPage(spec);
  for (let page = first; page < first + table.pageCount(spec); page += 1) {
    if (!nand.isBadBlock(nand.blockOfPage(page))) yield page;
  }
}
