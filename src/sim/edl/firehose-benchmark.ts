// <benchmark …/> of the NAND build (edl sheet §2.7: "erases block 0 for the write test!";
// QC-FH-NAND handleBenchmark). TestWritePerformance erases block 0 — the start of sbl — and writes
// 0xAA pages for sizes from one page up to the channel capacity, ten trials each; the C loop
// advances its page counter twice per write, so it writes every other page, and with 2 KiB pages
// it runs past block 0 into blocks that were not erased (those writes fail, unreported). Times
// are the NAND model's. TestDigestPerformance reports hashing times of 20 bytes/µs — invented,
// UNVERIFIED. The Test* switches are cleared afterwards.
import type { FirehoseContext } from './firehose-context.js';

const TRIALS = 10;
const HASH_BYTES_PER_US = 20;

export async function handleBenchmark(ctx: FirehoseContext): Promise<void> {
  const { attrs, nand } = ctx;
  const { pageSize } = nand.geometry;
  const bufferSize = ctx.channelCapacity;
  if (attrs.number('TestWritePerformance') !== 0) {
    ctx.log(`Going to test writes for lengths ${pageSize} to ${bufferSize} for ${TRIALS} trials. This can take a while.`);
    ctx.log('Block0 would be erased for write test starting from sector0');
    if (nand.isBadBlock(0)) {
      ctx.log(' Skipping write performance test as block 0 is bad');
    } else {
      nand.eraseBlock(0);
      const pattern = new Uint8Array(pageSize).fill(0xaa);
      let page = 0;
      for (let size = pageSize; size <= bufferSize; size *= 2) {
        const before = nand.busy.elapsedUs;
        for (let trial = 0; trial < TRIALS; trial += 1) {
          for (let k = 0; k < size / pageSize; k += 1) {
            page += nand.programPage(page, pattern) === 'ok' ? 2 : 1;
          }
        }
        ctx.log(`Writing ${size} bytes ${Math.round((nand.busy.elapsedUs - before) / TRIALS)} us`);
        await ctx.settle();
      }
    }
  }
  if (attrs.number('TestDigestPerformance') !== 0) {
    for (let size = pageSize; size <= bufferSize; size *= 2) {
      ctx.log(`Hashing ${size} bytes ${TRIALS} times took ${Math.round(size / HASH_BYTES_PER_US)} us on average`);
    }
  }
  attrs.setNumber('TestWritePerformance', 0);
  attrs.setNumber('TestReadPerformance', 0);
  attrs.setNumber('TestDigestPerformance', 0);
  await ctx.settle(true);
  ctx.respond(true);
}
