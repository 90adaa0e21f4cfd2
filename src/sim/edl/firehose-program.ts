// <program> on NAND (edl sheet §2.4; QC-FH-NAND handleProgram). SECTOR_SIZE_IN_BYTES must be the
// page size and PAGES_PER_BLOCK the chip's 64 — the PAGES_PER_BLOCK message prints the sector
// size instead of the attribute, a bug real logs show ("=2048", bkerler/edl#522). Then
// ACK rawmode="true", exactly num_partition_sectors pages of raw data, each written to the next
// page; at a block boundary bad blocks are skipped (the data moves on); a page that is not erased
// fails the write ("Write failed", later pages are received but not written) and the end is
// NAK rawmode="false". Program never erases: erase first.
import type { FirehoseContext, ProgramProgress } from './firehose-context.js';

/** storageDeviceWrite's errno is not in the sheet; any non-zero value — UNVERIFIED. */
const WRITE_FAILED_ERRNO = 1;

export async function handleProgram(ctx: FirehoseContext): Promise<void> {
  const { attrs, nand } = ctx;
  const { pageSize, pagesPerBlock, blockCount } = nand.geometry;
  ctx.log('INSIDE HANDLE PROGRAM');
  const sectorSize = attrs.number('SECTOR_SIZE_IN_BYTES');
  if (sectorSize !== pageSize) {
    ctx.log(`Attribute 'SECTOR_SIZE_IN_BYTES'=${sectorSize} must be equal to disk sector size ${pageSize}`);
    ctx.errorLog('programSectorSize');
    ctx.respond(false);
    return;
  }
  const pagesPerBlockAttr = attrs.number('PAGES_PER_BLOCK');
  if (pagesPerBlockAttr !== pagesPerBlock) {
    ctx.log(`Attribute 'PAGES_PER_BLOCK'=${sectorSize} must be equal to disk pages per block ${pagesPerBlock}`);
    ctx.errorLog('programPagesPerBlock');
    ctx.respond(false);
    return;
  }
  const start = attrs.number('start_sector');
  const count = attrs.number('num_partition_sectors');
  if (start + count > blockCount * pagesPerBlockAttr) {
    ctx.log('Programming region exceeds total block count');
    ctx.errorLog('programOutOfRange');
    ctx.respond(false);
    return;
  }
  ctx.log(`start_sector ${start}, last_sector_address ${start + count}`);
  ctx.respond(true, [['rawmode', 'true']]);
  const skipWrite = attrs.number('SkipWrite') !== 0;
  const progress: ProgramProgress = { startSector: start, pagesWritten: 0, nextPage: start, partialBytes: 0, writing: !skipWrite };
  ctx.program = progress;
  const page = new Uint8Array(pageSize);
  try {
    for (let remaining = count; remaining > 0; remaining -= 1) {
      if (progress.writing) progress.nextPage = skipBadBlocks(ctx, progress.nextPage);
      await receivePage(ctx, page, progress);
      if (skipWrite) {
        progress.nextPage += 1;
        continue;
      }
      if (!progress.writing) continue;
      if (nand.programPage(progress.nextPage, page) !== 'ok') {
        ctx.log(`Write failed errno ${WRITE_FAILED_ERRNO}`);
        progress.writing = false;
        continue;
      }
      progress.nextPage += 1;
      progress.pagesWritten += 1;
      await ctx.settle();
    }
  } finally {
    ctx.program = undefined;
  }
  await ctx.settle(true);
  ctx.log(`Finished sector address ${start}`);
  ctx.respond(skipWrite || progress.writing, [['rawmode', 'false']]);
}

/** Only at a block's first page does the programmer look at the block's state. */
function skipBadBlocks(ctx: FirehoseContext, page: number): number {
  const { pagesPerBlock } = ctx.nand.geometry;
  let next = page;
  if (next % pagesPerBlock !== 0) return next;
  while (next < ctx.nand.totalPages && ctx.nand.isBadBlock(ctx.nand.blockOfPage(next))) next += pagesPerBlock;
  return next;
}

async function receivePage(ctx: FirehoseContext, page: Uint8Array, progress: ProgramProgress): Promise<void> {
  progress.partialBytes = 0;
  while (progress.partialBytes < page.length) {
    const chunk = await ctx.readRaw(page.length - progress.partialBytes);
    page.set(chunk, progress.partialBytes);
    progress.partialBytes += chunk.length;
  }
  progress.partialBytes = 0;
}
