// The simulated module's NAND geometry and factory bad blocks (startSimulator options
// `geometry` and `badBlocks`): the factory image is laid down around the bad blocks the way the
// programmer writes (edl sheet §2.4), so the module boots; the chip is part of the module and
// survives restarts; the defaults (p4K_b256K, no bad blocks) are what they always were.
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SimInfo } from '../../src/sim/control/api.js';
import { inspectPartition } from '../../src/sim/nand/partition-state.js';
import { partitionLayout } from '../../src/sim/nand/partition-table.js';
import { inspectPartitionImage } from '../../src/sim/package/partition-image.js';
import { isSettled, isUp, newStateDir, startTestSim } from '../helpers/sim-fixture.js';

function start(name: string, geometry: 'p4K_b256K' | 'p2K_b128K'): number {
  return partitionLayout(geometry).find((spec) => spec.name === name)?.startBlock ?? -1;
}

describe('simulated module: NAND geometry and factory bad blocks', () => {
  it('defaults to a 512 MiB p4K_b256K chip without bad blocks', async () => {
    const t = await startTestSim();
    try {
      await t.sim.waitFor(isUp, 20_000, 'boot');
      assert.deepEqual(t.sim.state().nand, { geometry: 'p4K_b256K', pageSize: 4096, blockCount: 2048, badBlocks: [], busyMs: { program: 0, erase: 0, read: 0 } });
      assert.deepEqual(t.sim.info.nand, t.sim.state().nand);
    } finally {
      await t.close();
    }
  });

  for (const geometry of ['p4K_b256K', 'p2K_b128K'] as const) {
    it(`${geometry}: boots its factory firmware laid around bad blocks in efs2, modem and system, calibration intact (+CFUN: 1)`, async () => {
      const bad = [start('efs2', geometry), start('modem', geometry), start('system', geometry) + 1];
      const t = await startTestSim({ geometry, badBlocks: bad });
      try {
        await t.sim.waitFor(isSettled(t.sim), 30_000, 'settled');
        const port = await t.openPort('at');
        assert.match(await port.command('AT+CFUN?'), /\+CFUN: 1\b/);
        assert.match(await port.command('AT+GMR'), /EC25AFAR05A04M4G/);
        const { flash } = t.sim.module;
        assert.equal(flash.geometry, geometry);
        assert.deepEqual(t.sim.state().nand.badBlocks, bad);
        // The calibration moved on to the next good block, as the programmer would have put it.
        const efs2 = inspectPartition(flash.nand, flash.table, 'efs2');
        assert.deepEqual(efs2.badBlocks, [start('efs2', geometry)]);
        assert.equal(flash.nand.pageState((start('efs2', geometry) + 1) * 64), 'programmed');
        assert.equal(inspectPartitionImage(flash.nand, flash.table, 'efs2').valid, true);
        assert.equal(inspectPartitionImage(flash.nand, flash.table, 'modem').valid, true);
        assert.equal(flash.nand.readPage(start('modem', geometry) * 64).status, 'bad-block');
      } finally {
        await t.close();
      }
    });
  }

  it('keeps its geometry and bad blocks across restarts, and refuses others for a stored module', async () => {
    const dir = await newStateDir();
    try {
      const first = await startTestSim({ stateDir: dir, geometry: 'p2K_b128K', badBlocks: { count: 4 }, seed: 99 }, true);
      const made = first.sim.state().nand;
      await first.close();
      assert.equal(made.badBlocks.length, 4);
      assert.ok(!made.badBlocks.includes(0));
      const saved = JSON.parse(await readFile(join(dir, 'nand', 'nand.json'), 'utf8')) as { badBlocks: number[]; geometry: { pageSize: number } };
      assert.deepEqual([saved.geometry.pageSize, saved.badBlocks], [2048, made.badBlocks]);

      const again = await startTestSim({ stateDir: dir, seed: 1 }, true);
      try {
        await again.sim.waitFor(isUp, 20_000, 'boot');
        assert.deepEqual(again.sim.state().nand, made);
        assert.equal(again.sim.state().health.efs, 'ok');
      } finally {
        await again.close();
      }
      const sameCount = await startTestSim({ stateDir: dir, badBlocks: { count: 4 }, geometry: 'p2K_b128K' }, true);
      await sameCount.close();
      const refusals: [string, Parameters<typeof startTestSim>[0]][] = [
        ['geometry', { stateDir: dir, geometry: 'p4K_b256K' }],
        ['bad blocks', { stateDir: dir, badBlocks: [made.badBlocks[0] ?? 1] }],
        ['bad-block count', { stateDir: dir, badBlocks: { count: 5 } }],
      ];
      for (const [what, options] of refusals) {
        await assert.rejects(startTestSim(options, true), (error: unknown) => {
          assert.equal((error as { code?: string }).code, 'USAGE', what);
          assert.match((error as { hint?: string }).hint ?? '', /fresh state directory/, what);
          return true;
        });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('places random bad blocks by the seed: the same seed makes the same chip', async () => {
    const chips: SimInfo['nand'][] = [];
    for (let index = 0; index < 2; index += 1) {
      const t = await startTestSim({ badBlocks: { count: 6 }, seed: 4242, off: true });
      chips.push(t.sim.info.nand);
      await t.close();
    }
    assert.deepEqual(chips[0], chips[1]);
    assert.equal(chips[0]?.badBlocks.length, 6);
  });

  it('refuses block 0 and blocks past the end of the chip', async () => {
    const dir = await newStateDir();
    try {
      for (const badBlocks of [[0], [2048]]) {
        await assert.rejects(startTestSim({ stateDir: dir, badBlocks, off: true }), (error: unknown) => (error as { code?: string }).code === 'USAGE');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
