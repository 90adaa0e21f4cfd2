// Named partitions at block offsets, so the simulator can ask "is sbl intact?", "is efs2 erased?".
// Layout of the EC25 (quectel sheet §2.6, partition_nand.xml of EC25EFAR06A01M4G): the names and
// their order are from the sheet; so are efs2 at 0x500000 (+0x1600000) — blocks 20..107 with
// 256 KiB blocks — and the MIBIB at start_sector 640 = block 10 (edl sheet §2.9), which leaves
// blocks 0..9 to sbl. Every other size below is a placeholder, UNVERIFIED: the sheet gives only
// names. The table is in 256 KiB blocks (p4K_b256K); partitionLayout() gives the p2K_b128K one.
import { SimNandError } from './nand-errors.js';
import type { NandGeometry, NandPresetName } from './nand-geometry.js';

export interface PartitionSpec {
  readonly name: string;
  readonly startBlock: number;
  readonly blockCount: number;
}

export const EC25_PARTITION_LAYOUT: readonly PartitionSpec[] = [
  { name: 'sbl', startBlock: 0, blockCount: 10 },
  { name: 'mibib', startBlock: 10, blockCount: 10 },
  { name: 'efs2', startBlock: 20, blockCount: 88 },
  { name: 'sys_rev', startBlock: 108, blockCount: 12 },
  { name: 'rawdata', startBlock: 120, blockCount: 12 },
  { name: 'tz', startBlock: 132, blockCount: 8 },
  { name: 'rpm', startBlock: 140, blockCount: 4 },
  { name: 'aboot', startBlock: 144, blockCount: 8 },
  { name: 'boot', startBlock: 152, blockCount: 48 },
  { name: 'recovery', startBlock: 200, blockCount: 48 },
  { name: 'image_back', startBlock: 248, blockCount: 48 },
  { name: 'recoveryfs_b', startBlock: 296, blockCount: 96 },
  { name: 'scrub', startBlock: 392, blockCount: 24 },
  { name: 'modem', startBlock: 416, blockCount: 320 },
  { name: 'misc', startBlock: 736, blockCount: 4 },
  { name: 'recoveryfs', startBlock: 740, blockCount: 96 },
  { name: 'qdsp6sw_b', startBlock: 836, blockCount: 320 },
  { name: 'sys_back', startBlock: 1156, blockCount: 96 },
  { name: 'system', startBlock: 1252, blockCount: 796 },
];

/**
 * The layout for a geometry. p2K_b128K keeps every partition's bytes (block numbers and counts
 * doubled), so efs2 stays at byte 0x500000 (+0x1600000) as the sheet gives it and both packages
 * carry the same images. The sheets have no p2K_b128K table of an EC25: UNVERIFIED. It moves the
 * MIBIB to sector 1280 on that geometry — edl's "partition table at sector 640" (edl sheet §2.9)
 * comes from p4K_b256K parts, so a host looking there on a 2 KiB-page module finds sbl pages.
 */
export function partitionLayout(preset: NandPresetName): readonly PartitionSpec[] {
  return preset === 'p4K_b256K' ? EC25_PARTITION_LAYOUT : P2K_LAYOUT;
}

/** Bytes from block 0 to the end of the last partition: the NAND a module needs for `layout`. */
export function layoutBytes(layout: readonly PartitionSpec[], blockBytes: number): number {
  return Math.max(0, ...layout.map((spec) => spec.startBlock + spec.blockCount)) * blockBytes;
}

const P2K_LAYOUT: readonly PartitionSpec[] = EC25_PARTITION_LAYOUT.map((spec) => ({ name: spec.name, startBlock: spec.startBlock * 2, blockCount: spec.blockCount * 2 }));

export class PartitionTable {
  readonly geometry: NandGeometry;
  readonly #byName: ReadonlyMap<string, PartitionSpec>;
  readonly #ordered: readonly PartitionSpec[];

  private constructor(geometry: NandGeometry, ordered: readonly PartitionSpec[]) {
    this.geometry = geometry;
    this.#ordered = ordered;
    this.#byName = new Map(ordered.map((spec) => [spec.name, spec]));
  }

  /** Checks that every partition fits the NAND, names are unique and nothing overlaps. */
  static create(specs: readonly PartitionSpec[], geometry: NandGeometry): PartitionTable {
    const ordered = [...specs].sort((a, b) => a.startBlock - b.startBlock);
    const names = new Set<string>();
    let end = 0;
    for (const spec of ordered) {
      if (names.has(spec.name)) throw new SimNandError('SIM_NAND_PARTITION', `partition ${spec.name} is listed twice`);
      names.add(spec.name);
      if (!Number.isInteger(spec.startBlock) || !Number.isInteger(spec.blockCount) || spec.startBlock < 0 || spec.blockCount <= 0) {
        throw new SimNandError('SIM_NAND_PARTITION', `partition ${spec.name} has an invalid block range`);
      }
      if (spec.startBlock < end) throw new SimNandError('SIM_NAND_PARTITION', `partition ${spec.name} overlaps the one before it`);
      end = spec.startBlock + spec.blockCount;
      if (end > geometry.blockCount) {
        throw new SimNandError('SIM_NAND_PARTITION', `partition ${spec.name} ends at block ${end}, beyond the ${geometry.blockCount}-block NAND`, {
          hint: 'Use a layout that fits the NAND size (tests with a small NAND need their own layout).',
        });
      }
    }
    return new PartitionTable(geometry, ordered);
  }

  list(): readonly PartitionSpec[] {
    return this.#ordered;
  }

  find(name: string): PartitionSpec | undefined {
    return this.#byName.get(name);
  }

  get(name: string): PartitionSpec {
    const spec = this.#byName.get(name);
    if (spec === undefined) throw new SimNandError('SIM_NAND_PARTITION', `no partition named ${name}`, { details: { known: [...this.#byName.keys()] } });
    return spec;
  }

  /** The partition a block belongs to. */
  atBlock(block: number): PartitionSpec | undefined {
    return this.#ordered.find((spec) => block >= spec.startBlock && block < spec.startBlock + spec.blockCount);
  }

  firstPage(spec: PartitionSpec): number {
    return spec.startBlock * this.geometry.pagesPerBlock;
  }

  pageCount(spec: PartitionSpec): number {
    return spec.blockCount * this.geometry.pagesPerBlock;
  }
}
