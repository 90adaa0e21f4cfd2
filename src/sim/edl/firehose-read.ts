// <read> on NAND (edl sheet §2.5; QC-FH-NAND handleRead): range check, ACK rawmode="true", the
// pages in chunks of the channel capacity, ACK rawmode="false". Pages of a bad block read as 0xBB,
// an unreadable (torn) page as 0xDD, an erased page as 0xFF. Quirks kept from the C code:
// - the range check divides by pages-per-block, so a read may run up to a block past the end
//   (those pages fail → 0xDD);
// - with bad_block_at_end="1" bad blocks are skipped and 0xFF padding is sent at the end, but a
//   bad block met inside a chunk drops the pages of that chunk already read;
// - get_spare / ecc_enabled read page+spare per sector; a sector bigger than the channel capacity
//   makes the C loop spin forever (the target hangs).
// The spare area is not modelled: it reads 0xFF, and a raw (ecc_enabled) read of a bad block
// reads 0x00 (the factory bad-block marking) — both UNVERIFIED.
import type { FirehoseContext } from './firehose-context.js';

export async function handleRead(ctx: FirehoseContext): Promise<void> {
  const { attrs, nand } = ctx;
  const { pageSize, pagesPerBlock, blockCount, spareSize } = nand.geometry;
  let start = attrs.number('start_sector');
  let remaining = attrs.number('num_partition_sectors');
  if (Math.floor((start + remaining) / pagesPerBlock) > blockCount) {
    ctx.log('Trying to read beyond total sectors');
    ctx.errorLog('readOutOfRange');
    ctx.respond(false);
    return;
  }
  const raw = attrs.number('ecc_enabled') !== 0;
  const withSpare = raw || attrs.number('get_spare') !== 0;
  const sectorSize = withSpare ? pageSize + spareSize : pageSize;
  if (sectorSize !== attrs.number('SECTOR_SIZE_IN_BYTES')) {
    ctx.log(`Attribute 'SECTOR_SIZE_IN_BYTES'=${attrs.number('SECTOR_SIZE_IN_BYTES')} must be equal to disk sector size ${sectorSize}`);
    ctx.errorLog('readSectorSize');
    ctx.respond(false);
    return;
  }
  const capacity = Math.floor(ctx.channelCapacity / sectorSize);
  ctx.log(`raw_data_buffer_sector_capacity ${capacity}`);
  ctx.log(`start_sector ${start} and num_partition_sectors${remaining}`);
  ctx.respond(true, [['rawmode', 'true']]);
  if (capacity === 0 && remaining > 0) ctx.hang('read sector larger than the channel buffer');
  const badAtEnd = attrs.number('bad_block_at_end') !== 0;
  let skippedBlocks = 0;
  let skippedPages = 0;
  let knownBad = -1;
  while (remaining > 0) {
    let toSend = Math.min(remaining, capacity);
    const chunk = new Uint8Array(toSend * sectorSize);
    let at = 0;
    let sendChunk = true;
    while (toSend > 0) {
      const block = Math.floor(start / pagesPerBlock);
      if (!raw && (block === knownBad || nand.isBadBlock(block))) {
        knownBad = block;
        if (!badAtEnd) {
          chunk.fill(0xbb, at, at + sectorSize);
        } else {
          if (remaining >= pagesPerBlock && start % pagesPerBlock === 0) {
            skippedBlocks += 1;
            start += pagesPerBlock;
            remaining -= pagesPerBlock;
          } else {
            skippedPages += 1;
            start += 1;
            remaining -= 1;
          }
          sendChunk = false;
          break;
        }
      } else {
        readSector(ctx, start, chunk.subarray(at, at + sectorSize), raw);
      }
      at += sectorSize;
      toSend -= 1;
      start += 1;
      remaining -= 1;
    }
    await ctx.settle();
    if (sendChunk) ctx.sendRaw(chunk);
  }
  for (let padding = (skippedBlocks * pagesPerBlock + skippedPages) * sectorSize; padding > 0; ) {
    const size = Math.min(padding, capacity * sectorSize);
    ctx.sendRaw(new Uint8Array(size).fill(0xff));
    padding -= size;
  }
  await ctx.settle(true);
  ctx.respond(true, [['rawmode', 'false']]);
}

function readSector(ctx: FirehoseContext, page: number, into: Uint8Array, raw: boolean): void {
  into.fill(0xff);
  const read = ctx.nand.readPage(page);
  if (read.status === 'data' || read.status === 'erased') into.set(read.data);
  else if (raw && read.status === 'bad-block') into.fill(0x00);
  else into.fill(0xdd);
}
