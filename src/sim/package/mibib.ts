// The NAND partition table in Qualcomm's binary form (edl sheet §2.9; bkerler/edl firehose.py
// nand_partition; DEFC's dumps of EC25 MIBIBs):
//   partition table — u32 magic1 0x55EE73AA, magic2 0xE35EBDDB, version, count, then one 28-byte
//     entry per partition: 16-byte name ("0:SBL"), start block, length in blocks, attr1, attr2,
//     attr3, which_flash. Padding is 0xFF (DEFC blanks it with 0xFF before patching a table in).
//   partition_complete_<geometry>.mbn — the MIBIB block as programmed at sector 640: page 0 opens
//     with the MIBIB magic FE569FAC CD7F127A (what edl checks at sector 640), page 1 holds the
//     table (DEFC: entries at 0x1010 with 4 KiB pages, 0x810 with 2 KiB), 4 pages in all.
//   partition.mbn — the bare table, for QFirehose's streaming-download path.
// Not in any source we have: the version words after the magics (we write 4 for the table and 1
// for the MIBIB header) and what else page 0 holds — UNVERIFIED. Our image descriptor sits at
// 0x400 of page 0 / of the bare table, beyond the largest table (16 + 32 × 28 = 912 bytes).
import { DESCRIPTOR_OFFSETS, encodeDescriptor, type ImageIdentity } from './image-descriptor.js';
import { sealImage } from './image-format.js';
import type { PartitionSpec } from '../nand/partition-table.js';
import { SimPackageError } from './package-errors.js';

export const PARTITION_TABLE_MAGIC = [0x55ee73aa, 0xe35ebddb] as const;
export const MIBIB_MAGIC = [0xfe569fac, 0xcd7f127a] as const;
const PARTITION_TABLE_VERSION = 4;
const MIBIB_VERSION = 1;
const ENTRY_SIZE = 28;
const NAME_SIZE = 16;
/** FLASH_NUM_PART_ENTRIES: what fits before the descriptor at 0x400. */
const MAX_ENTRIES = 32;
export const MIBIB_PAGES = 4;
export const PARTITION_MBN_BYTES = 0x800;

/**
 * Names as the EC25 MIBIB spells them (DEFC's `strings` of partition_complete_p4K_b256K.mbn);
 * the simulator's lowercase names are what edl prints after stripping "0:" and lowercasing.
 */
const MIBIB_NAMES: Readonly<Record<string, string>> = {
  sbl: '0:SBL',
  mibib: '0:MIBIB',
  efs2: '0:EFS2',
  rawdata: '0:RAWDATA',
  tz: '0:TZ',
  rpm: '0:RPM',
  recoveryfs_b: '0:recoveryfs_B',
  qdsp6sw_b: '0:qdsp6sw_B',
};

export function mibibName(partition: string): string {
  return MIBIB_NAMES[partition] ?? `0:${partition}`;
}

/** attr3 is 0xFF for MIBIB and EFS2 and 0x00 elsewhere in the EC25 table (DEFC). */
function attributes(partition: string): [number, number, number, number] {
  return [0xff, 0x01, partition === 'mibib' || partition === 'efs2' ? 0xff : 0x00, 0];
}

export function encodePartitionTable(layout: readonly PartitionSpec[]): Uint8Array {
  if (layout.length > MAX_ENTRIES) throw new SimPackageError('SIM_PACKAGE_LAYOUT', `a NAND partition table holds at most ${MAX_ENTRIES} partitions, not ${layout.length}`);
  const bytes = new Uint8Array(16 + layout.length * ENTRY_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, PARTITION_TABLE_MAGIC[0], true);
  view.setUint32(4, PARTITION_TABLE_MAGIC[1], true);
  view.setUint32(8, PARTITION_TABLE_VERSION, true);
  view.setUint32(12, layout.length, true);
  layout.forEach((spec, index) => {
    const at = 16 + index * ENTRY_SIZE;
    const name = mibibName(spec.name);
    if (name.length > NAME_SIZE) throw new SimPackageError('SIM_PACKAGE_LAYOUT', `partition name ${name} is longer than ${NAME_SIZE} bytes`);
    for (let char = 0; char < name.length; char += 1) bytes[at + char] = name.charCodeAt(char);
    view.setUint32(at + 16, spec.startBlock, true);
    view.setUint32(at + 20, spec.blockCount, true);
    bytes.set(attributes(spec.name), at + 24);
  });
  return bytes;
}

/** partition.mbn: the table, then our descriptor at 0x400, 0xFF elsewhere. */
export function buildPartitionMbn(layout: readonly PartitionSpec[], identity: ImageIdentity): Uint8Array {
  const bytes = new Uint8Array(PARTITION_MBN_BYTES).fill(0xff);
  bytes.set(encodePartitionTable(layout), 0);
  bytes.set(encodeDescriptor(identity, bytes.length), DESCRIPTOR_OFFSETS['partition-table']);
  sealImage(bytes);
  return bytes;
}

/** partition_complete_<geometry>.mbn: four pages of the MIBIB block. */
export function buildMibib(layout: readonly PartitionSpec[], pageSize: number, identity: ImageIdentity): Uint8Array {
  const bytes = new Uint8Array(MIBIB_PAGES * pageSize).fill(0xff);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MIBIB_MAGIC[0], true);
  view.setUint32(4, MIBIB_MAGIC[1], true);
  view.setUint32(8, MIBIB_VERSION, true);
  view.setUint32(12, 0, true); // age — UNVERIFIED
  bytes.set(encodePartitionTable(layout), pageSize);
  bytes.set(encodeDescriptor(identity, bytes.length), DESCRIPTOR_OFFSETS.mibib);
  sealImage(bytes);
  return bytes;
}
