// The check the simulator's boot logic makes of one NAND partition: read the descriptor from the
// partition's first pages, then the whole image it announces, and inspect it (image-format.ts).
// Reads go through the NAND model's readPartitionImage, so bad blocks are skipped and torn pages
// read 0xDD exactly as the programmer's reads see them. It holds the image once in memory (48 MiB
// for a full NON-HLOS.ubi); ImageVerifier is there for a page-by-page check.
import type { NandFlash } from '../nand/nand-flash.js';
import { readPartitionImage } from '../nand/partition-state.js';
import type { PartitionTable } from '../nand/partition-table.js';
import { DESCRIPTOR_PROBE_BYTES } from './image-descriptor.js';
import { inspectImage, readImageDescriptor, type ImageInspection } from './image-format.js';

export function inspectPartitionImage(nand: NandFlash, table: PartitionTable, partition: string): ImageInspection {
  const probe = readImageDescriptor(readPartitionImage(nand, table, partition, DESCRIPTOR_PROBE_BYTES));
  const length = probe.status === 'found' ? probe.descriptor.length : DESCRIPTOR_PROBE_BYTES;
  return inspectImage(readPartitionImage(nand, table, partition, length));
}
