// <getstorageinfo> of the NAND build (edl sheet §2.7): one log per line of flash facts and the
// bad-block list, then ACK. Numbers are decimal (the sheet shows no format) — UNVERIFIED.
import type { FirehoseContext } from './firehose-context.js';

export function handleGetStorageInfo(ctx: FirehoseContext): Promise<void> {
  const { geometry } = ctx.nand;
  const bad = ctx.nand.badBlocks();
  ctx.log('[FLASH_INFO]');
  ctx.log(`FLASH_NAME=${geometry.flashName}`);
  ctx.log(`SECTOR_SIZE_IN_BYTES = ${geometry.pageSize}`);
  ctx.log(`NUM_PARTITION_SECTORS = ${ctx.nand.totalPages}`);
  ctx.log('num_physical_partitions = 1');
  ctx.log(`TOTAL_SECTOR_SIZE_IN_BYTES= ${geometry.pageSize + geometry.spareSize}`);
  ctx.log('[BAD_BLOCK_LIST]');
  for (const block of bad) ctx.log(`BAD_BLOCK=${block}`);
  ctx.log(`TOTAL_BAD_BLOCK=${bad.length}`);
  ctx.respond(true);
  return Promise.resolve();
}
