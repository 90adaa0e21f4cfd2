import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { NandFlash } from '../../../src/sim/nand/nand-flash.js';
import { nandGeometry, totalBytes } from '../../../src/sim/nand/nand-geometry.js';

const MIB = 1024 * 1024;

function page(size: number, value: number): Uint8Array {
  return new Uint8Array(size).fill(value);
}

describe('NAND geometry', () => {
  it('p4K_b256K is the EC25 part: 4096-byte pages, 64 per block, 512 MiB, OOB 224', () => {
    const g = nandGeometry();
    assert.deepEqual(g, { pageSize: 4096, pagesPerBlock: 64, blockCount: 2048, spareSize: 224, flashName: 'FM6BD4G2GXA' });
    assert.equal(totalBytes(g), 512 * MIB);
  });

  it('p2K_b128K: 2048-byte pages, 64 per block (128 KiB blocks), OOB 64', () => {
    const g = nandGeometry({ preset: 'p2K_b128K', totalBytes: 4 * MIB });
    assert.equal(g.pageSize, 2048);
    assert.equal(g.pagesPerBlock, 64);
    assert.equal(g.blockCount, 32);
    assert.equal(g.spareSize, 64);
  });

  it('refuses a size that is not whole blocks', () => {
    assert.throws(() => nandGeometry({ totalBytes: 3 * MIB + 4096 }), (error: unknown) => isMedicError(error) && error.code === 'SIM_NAND_GEOMETRY');
  });
});

describe('NAND cells', () => {
  const geometry = nandGeometry({ totalBytes: 4 * MIB }); // 16 blocks of 256 KiB

  it('reads erased pages as 0xFF and programmed pages back byte for byte', () => {
    const nand = new NandFlash({ geometry, timeScale: 0 });
    const erased = nand.readPage(70);
    assert.equal(erased.status, 'erased');
    assert.ok('data' in erased && erased.data.every((byte) => byte === 0xff));
    const data = Uint8Array.from({ length: 4096 }, (_, i) => i & 0xff);
    assert.equal(nand.programPage(70, data), 'ok');
    const back = nand.readPage(70);
    assert.equal(back.status, 'data');
    assert.ok('data' in back);
    assert.deepEqual(back.data, data);
    data[0] = 0x55; // neither the written nor the read buffer is the chip's own copy
    back.data[1] = 0x55;
    const again = nand.readPage(70);
    assert.ok('data' in again);
    assert.deepEqual([again.data[0], again.data[1]], [0, 1]);
  });

  it('programs only erased pages; erasing the block makes the page programmable again', () => {
    const nand = new NandFlash({ geometry, timeScale: 0 });
    assert.equal(nand.programPage(64, page(4096, 0x11)), 'ok');
    assert.equal(nand.programPage(64, page(4096, 0x22)), 'not-erased');
    assert.equal(nand.pageState(64), 'programmed');
    assert.equal(nand.eraseBlock(1), 'ok');
    assert.equal(nand.pageState(64), 'erased');
    assert.equal(nand.programPage(64, page(4096, 0x22)), 'ok');
  });

  it('a page programmed with 0xFF still counts as programmed (its ECC is written)', () => {
    const nand = new NandFlash({ geometry, timeScale: 0 });
    assert.equal(nand.programPage(3, page(4096, 0xff)), 'ok');
    assert.equal(nand.programPage(3, page(4096, 0x00)), 'not-erased');
  });

  it('bad blocks refuse program and erase and are reported as bad on read', () => {
    const nand = new NandFlash({ geometry, badBlocks: [2, 5], timeScale: 0 });
    assert.deepEqual(nand.badBlocks(), [2, 5]);
    assert.equal(nand.programPage(2 * 64, page(4096, 1)), 'bad-block');
    assert.equal(nand.eraseBlock(5), 'bad-block');
    assert.equal(nand.readPage(5 * 64 + 3).status, 'bad-block');
  });

  it('a torn page (program cut by a power loss) is unreadable and not programmable until erased', () => {
    const nand = new NandFlash({ geometry, timeScale: 0 });
    nand.markUncorrectable(10);
    assert.equal(nand.readPage(10).status, 'uncorrectable');
    assert.equal(nand.programPage(10, page(4096, 0)), 'not-erased');
    nand.eraseBlock(0);
    assert.equal(nand.readPage(10).status, 'erased');
  });

  it('reports out-of-range pages and blocks instead of touching memory', () => {
    const nand = new NandFlash({ geometry, timeScale: 0 });
    assert.equal(nand.programPage(16 * 64, page(4096, 0)), 'out-of-range');
    assert.equal(nand.readPage(-1).status, 'out-of-range');
    assert.equal(nand.eraseBlock(16), 'out-of-range');
    assert.throws(() => nand.programPage(0, page(2048, 0)), (error: unknown) => isMedicError(error) && error.code === 'SIM_NAND_ARGUMENT');
  });

  it('is sparse: a 512 MiB chip holds only the pages written', () => {
    const nand = new NandFlash({ geometry: nandGeometry(), timeScale: 0 });
    for (let p = 0; p < 100; p += 1) nand.programPage(p * 640, page(4096, p));
    assert.equal(nand.usedPages, 100);
    assert.equal(nand.totalPages, 131072);
  });

  it('charges page-program and block-erase time in module time; a slow NAND takes longer', async () => {
    const asked: number[] = [];
    const sleep = (ms: number): Promise<void> => {
      asked.push(ms);
      return Promise.resolve();
    };
    const typical = new NandFlash({ geometry, sleep });
    const slow = new NandFlash({ geometry, sleep, timing: { pageProgramUs: 700, blockEraseUs: 10000 } });
    for (const nand of [typical, slow]) {
      nand.eraseBlock(0);
      for (let p = 0; p < 64; p += 1) nand.programPage(p, page(4096, 1));
    }
    assert.equal(typical.busy.elapsedUs, 2000 + 64 * 200);
    assert.equal(slow.busy.elapsedUs, 10000 + 64 * 700);
    for (let p = 0; p < 10; p += 1) typical.readPage(p);
    assert.deepEqual(typical.busy.byOperationUs, { program: 64 * 200, erase: 2000, read: 10 * 25 }, 'busy time by operation, for bench/flash');
    await slow.settle(true);
    assert.deepEqual(asked, [(10000 + 64 * 700) / 1000]);
  });
});
