// <erase> on NAND (edl sheet §2.6; QC-FH-NAND handleErase). Only start_sector and
// num_partition_sectors count: both in pages, both multiples of the chip's pages per block, else
// "start_sector unaligned" / "num_partition_sectors unaligned" and NAK; 0 blocks → ACK;
// start 0 with 0xFFFFFFFF sectors erases the whole chip. Bad blocks are skipped with a log and a
// failed erase of block 0 (OTP) is ignored (§2.6). An erase range past the end of the chip fails
// before erasing anything — the sheet does not say what storageDeviceErase does there, UNVERIFIED.
import type { FirehoseContext } from './firehose-context.js';

const WHOLE_CHIP = 0xffffffff;

export async function handleErase(ctx: FirehoseContext): Promise<void> {
  const { attrs, nand } = ctx;
  const { pagesPerBlock, blockCount } = nand.geometry;
  const start = attrs.number('start_sector');
  const count = attrs.number('num_partition_sectors');
  ctx.log(`start_sector = ${start} and num_partition_sectors =0x${hex32(count)})`);
  if (count === WHOLE_CHIP) {
    if (start !== 0) {
      ctx.log(`num_partition_sectors =0x${hex32(count)} too high and start_sector:${start} not equal to zero`);
      ctx.respond(false);
      return;
    }
    ctx.log('Erasing entire FLASH chip');
    await finish(ctx, await eraseBlocks(ctx, 0, blockCount));
    return;
  }
  if (start % pagesPerBlock !== 0) {
    ctx.log('start_sector unaligned');
    ctx.respond(false);
    return;
  }
  if (count % pagesPerBlock !== 0) {
    ctx.log('num_partition_sectors unaligned');
    ctx.respond(false);
    return;
  }
  const blocks = count / pagesPerBlock;
  if (blocks === 0) {
    ctx.log('num_blocks to erase are ZERO');
    ctx.respond(true);
    return;
  }
  const first = start / pagesPerBlock;
  await finish(ctx, await eraseBlocks(ctx, first, first + blocks));
}

async function finish(ctx: FirehoseContext, ok: boolean): Promise<void> {
  await ctx.settle(true);
  if (!ok) ctx.errorLog('eraseFailed');
  ctx.respond(ok);
}

async function eraseBlocks(ctx: FirehoseContext, from: number, to: number): Promise<boolean> {
  const { nand } = ctx;
  if (to > nand.geometry.blockCount) return false;
  for (let block = from; block < to; block += 1) {
    if (nand.isBadBlock(block)) {
      ctx.log(`Skipping: bad block 0x${block.toString(16)}`);
      continue;
    }
    if (nand.eraseBlock(block) !== 'ok' && block !== 0) return false;
    await ctx.settle();
  }
  return true;
}

function hex32(value: number): string {
  return (value >>> 0).toString(16);
}
