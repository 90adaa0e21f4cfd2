import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { NandFlash } from '../../../src/sim/nand/nand-flash.js';
import { nandGeometry } from '../../../src/sim/nand/nand-geometry.js';
import { loadNand, saveNand } from '../../../src/sim/nand/nand-persistence.js';
import { tempDir } from '../../helpers/wait.js';

const geometry = nandGeometry({ preset: 'p2K_b128K', totalBytes: 4 * 1024 * 1024 }); // 32 blocks

function filled(value: number): Uint8Array {
  return Uint8Array.from({ length: 2048 }, (_, i) => (value + i) & 0xff);
}

describe('NAND persistence', () => {
  it('a power cycle keeps pages, torn pages and bad blocks', async () => {
    await using dir = await tempDir();
    const nand = new NandFlash({ geometry, badBlocks: [7], timeScale: 0 });
    nand.programPage(0, filled(1));
    nand.programPage(1, filled(2));
    nand.programPage(64 * 3 + 5, filled(3));
    nand.programPage(64 * 4, new Uint8Array(2048).fill(0xff));
    nand.markUncorrectable(64 * 3 + 6);
    nand.markBadBlock(9); // grown bad block
    await saveNand(nand, dir.path);

    const back = await loadNand(dir.path, { timeScale: 0 });
    assert.ok(back !== undefined);
    assert.deepEqual(back.geometry, geometry);
    assert.deepEqual(back.badBlocks(), [7, 9]);
    for (const p of [0, 1, 64 * 3 + 5]) {
      const a = nand.readPage(p);
      const b = back.readPage(p);
      assert.ok('data' in a && 'data' in b);
      assert.deepEqual(b.data, a.data);
    }
    assert.equal(back.pageState(64 * 4), 'programmed');
    assert.equal(back.pageState(64 * 3 + 6), 'uncorrectable');
    assert.equal(back.pageState(2), 'erased');
    assert.equal(back.usedPages, nand.usedPages);
  });

  it('writes one file per used block and rewrites only what changed', async () => {
    await using dir = await tempDir();
    const nand = new NandFlash({ geometry, timeScale: 0 });
    nand.programPage(0, filled(1));
    nand.programPage(64 * 2, filled(2));
    await saveNand(nand, dir.path);
    assert.deepEqual((await readdir(join(dir.path, 'blocks'))).sort(), ['0.bin', '2.bin']);
    const before = await readFile(join(dir.path, 'blocks', '0.bin'));

    const back = await loadNand(dir.path, { timeScale: 0 });
    assert.ok(back !== undefined);
    back.eraseBlock(2);
    back.programPage(64 * 5, filled(5));
    await saveNand(back, dir.path);
    assert.deepEqual((await readdir(join(dir.path, 'blocks'))).sort(), ['0.bin', '5.bin']);
    assert.deepEqual(await readFile(join(dir.path, 'blocks', '0.bin')), before);

    const again = await loadNand(dir.path, { timeScale: 0 });
    assert.ok(again !== undefined);
    assert.equal(again.pageState(64 * 2), 'erased');
    assert.equal(again.pageState(64 * 5), 'programmed');
  });

  it('saving into another directory writes the whole flash there', async () => {
    await using first = await tempDir();
    await using second = await tempDir();
    const nand = new NandFlash({ geometry, timeScale: 0 });
    nand.programPage(64, filled(9));
    await saveNand(nand, first.path);
    await saveNand(nand, second.path);
    const copy = await loadNand(second.path, { timeScale: 0 });
    assert.equal(copy?.pageState(64), 'programmed');
  });

  it('an empty state directory has no NAND yet', async () => {
    await using dir = await tempDir();
    assert.equal(await loadNand(dir.path), undefined);
  });

  it('refuses a saved NAND of another geometry', async () => {
    await using dir = await tempDir();
    await saveNand(new NandFlash({ geometry, timeScale: 0 }), dir.path);
    await assert.rejects(loadNand(dir.path, { expectGeometry: nandGeometry({ totalBytes: 4 * 1024 * 1024 }) }), (error: unknown) => {
      return isMedicError(error) && error.code === 'SIM_NAND_STATE_MISMATCH' && error.hint !== undefined;
    });
  });

  it('reports damaged state files with a hint instead of loading garbage', async () => {
    await using dir = await tempDir();
    const nand = new NandFlash({ geometry, timeScale: 0 });
    nand.programPage(0, filled(1));
    await saveNand(nand, dir.path);
    await writeFile(join(dir.path, 'blocks', '0.bin'), new Uint8Array(70));
    await assert.rejects(loadNand(dir.path), (error: unknown) => isMedicError(error) && error.code === 'SIM_NAND_STATE_CORRUPT');
    await writeFile(join(dir.path, 'nand.json'), '{"format":"something-else"}');
    await assert.rejects(loadNand(dir.path), (error: unknown) => isMedicError(error) && error.code === 'SIM_NAND_STATE_CORRUPT');
    await writeFile(join(dir.path, 'nand.json'), 'not json');
    await assert.rejects(loadNand(dir.path), (error: unknown) => isMedicError(error) && error.code === 'SIM_NAND_STATE_CORRUPT');
  });
});
