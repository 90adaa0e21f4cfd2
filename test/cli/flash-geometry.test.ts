// medic flash end to end on both NAND geometries of the MDM9607 modules (edl sheet §2.9, quectel
// sheet §2.6) with factory bad blocks where the package writes and in efs2: the CLI as a child
// process, the simulated module on a real pty (and once behind the usb2tcp bridge on real TCP).
// The programmer skips bad blocks on erase and write (§2.4–2.6); the flash must still verify, the
// module boot the package's revision, and the calibration stay where it was (+CFUN: 1, not 5).
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { NandPresetName } from '../../src/sim/nand/nand-geometry.js';
import { readPartitionImage } from '../../src/sim/nand/partition-state.js';
import { partitionLayout } from '../../src/sim/nand/partition-table.js';
import { makePackage } from '../../src/sim/package/index.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { runMedic } from '../helpers/medic.js';
import { isSettled } from '../helpers/sim-fixture.js';
import { SimAtPort } from '../helpers/sim-at-port.js';
import { tempDir } from '../helpers/wait.js';

const FACTORY = 'EC25AFAR05A04M4G';
/** Same baseline (R05), another minor: the reflash shows in AT+GMR and the calibration still fits. */
const NEW_REVISION = 'EC25AFAR05A06M4G';
const GEOMETRIES = ['p4K_b256K', 'p2K_b128K'] as const;

let work: Awaited<ReturnType<typeof tempDir>>;
const packages = new Map<NandPresetName, string>();
const running: RunningSimulator[] = [];

before(async () => {
  work = await tempDir();
  for (const geometry of GEOMETRIES) {
    const dir = join(work.path, `${NEW_REVISION}-${geometry}`);
    await makePackage(dir, { revision: NEW_REVISION, size: 'small', geometry });
    packages.set(geometry, dir);
  }
});
after(async () => {
  await Promise.all(running.map((sim) => sim.stop()));
  await work.remove();
});

function packageFor(geometry: NandPresetName): string {
  const dir = packages.get(geometry);
  assert.ok(dir !== undefined);
  return dir;
}

function startBlock(geometry: NandPresetName, partition: string): number {
  const spec = partitionLayout(geometry).find((entry) => entry.name === partition);
  assert.ok(spec !== undefined, partition);
  return spec.startBlock;
}

/**
 * Bad blocks where this package's images land (the first block of modem, of its copy qdsp6sw_b,
 * of boot and of system: each small image starts there) and the first block of efs2, where the
 * calibration would sit on a perfect chip.
 */
function badBlocksFor(geometry: NandPresetName): number[] {
  return ['efs2', 'boot', 'modem', 'qdsp6sw_b', 'system'].map((name) => startBlock(geometry, name));
}

async function inEdl(geometry: NandPresetName, extra: { tcp?: string } = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ timeScale: 0.01, seed: 33, revision: FACTORY, scenario: 'edl-corrupt', geometry, badBlocks: badBlocksFor(geometry), ...extra });
  running.push(sim);
  await sim.waitFor((state) => state.mode === 'edl' && state.usb.ports.edl !== undefined, 20_000, '9008');
  return sim;
}

/** The good blocks of efs2 in order, as the NAND holds them now (what a bad_block_at_end read returns first). */
function efs2OnModule(sim: RunningSimulator): Uint8Array {
  const { flash } = sim.module;
  const spec = flash.table.get('efs2');
  const good = Array.from({ length: spec.blockCount }, (_, index) => spec.startBlock + index).filter((block) => !flash.nand.isBadBlock(block)).length;
  return readPartitionImage(flash.nand, flash.table, 'efs2', good * flash.nand.geometry.pageSize * flash.nand.geometry.pagesPerBlock);
}

async function savedEfs2(backupRoot: string): Promise<Uint8Array> {
  const [unit] = await readdir(backupRoot);
  const [run] = await readdir(join(backupRoot, unit ?? ''));
  return new Uint8Array(await readFile(join(backupRoot, unit ?? '', run ?? '', 'efs2.bin')));
}

/** What a user checks once the module is back: its revision and that the radio is on. */
async function atAnswers(sim: RunningSimulator): Promise<{ gmr: string; cfun: string }> {
  await sim.waitFor(isSettled(sim), 60_000, 'the module to boot and settle after the flash');
  const path = sim.info.ports.at;
  assert.ok(path !== undefined);
  const port = await SimAtPort.open(path);
  try {
    return { gmr: await port.command('AT+GMR'), cfun: await port.command('AT+CFUN?') };
  } finally {
    await port.close();
  }
}

describe('medic flash on both NAND geometries, with factory bad blocks', () => {
  for (const geometry of GEOMETRIES) {
    it(`${geometry}: flashes a matching package around the bad blocks over the pty; the module boots it with its calibration`, async () => {
      const sim = await inEdl(geometry);
      assert.equal(sim.state().nand.geometry, geometry);
      assert.deepEqual(sim.state().nand.badBlocks, badBlocksFor(geometry));
      const edl = sim.info.ports.edl;
      assert.ok(edl !== undefined);
      const efs2Before = efs2OnModule(sim);
      const backups = join(work.path, `backups-${geometry}`);
      const result = await runMedic(['flash', packageFor(geometry), '--port', edl, '--module-revision', FACTORY, '--backup-dir', backups], { timeoutMs: 180_000 });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`^Flashed and verified: ${NEW_REVISION}`, 'm'));
      const { gmr, cfun } = await atAnswers(sim);
      assert.match(gmr, new RegExp(NEW_REVISION));
      assert.match(cfun, /\+CFUN: 1\b/);
      const state = sim.state();
      assert.deepEqual(state.health, { efs: 'ok', bootChain: 'ok' });
      assert.deepEqual(state.nand.badBlocks, badBlocksFor(geometry), 'the bad blocks are still the factory ones');
      // The calibration was never written, and the backup on disk is that very calibration.
      const efs2After = efs2OnModule(sim);
      assert.deepEqual(efs2After, efs2Before);
      const saved = await savedEfs2(backups);
      assert.deepEqual(saved.subarray(0, efs2After.length), efs2After);
      assert.ok(saved.subarray(efs2After.length).every((byte) => byte === 0xff), 'a bad block of efs2 reads as 0xFF padding at the end');
    });
  }

  it('p2K_b128K: flashes over the usb2tcp bridge on TCP too', async () => {
    const sim = await inEdl('p2K_b128K', { tcp: '127.0.0.1:0' });
    assert.ok(sim.info.tcp !== undefined);
    assert.equal(sim.info.nand.geometry, 'p2K_b128K');
    const result = await runMedic(['flash', packageFor('p2K_b128K'), '--tcp', sim.info.tcp, '--module-revision', FACTORY, '--backup-dir', join(work.path, 'backups-tcp'), '--json'], { timeoutMs: 180_000 });
    assert.equal(result.code, 0, result.stderr);
    const last = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as { ok?: boolean; result?: { outcome?: string; revision?: string } };
    assert.equal(last.ok, true);
    assert.equal(last.result?.outcome, 'flashed-and-verified');
    const { gmr, cfun } = await atAnswers(sim);
    assert.match(gmr, new RegExp(NEW_REVISION));
    assert.match(cfun, /\+CFUN: 1\b/);
  });

  for (const [module, other] of [['p2K_b128K', 'p4K_b256K'], ['p4K_b256K', 'p2K_b128K']] as const) {
    it(`refuses a ${other} package for a ${module} module before writing anything (exit 4); the right one then flashes`, async () => {
      const sim = await inEdl(module);
      const edl = sim.info.ports.edl;
      assert.ok(edl !== undefined);
      const generation = sim.module.flash.nand.generation;
      const refused = await runMedic(['flash', packageFor(other), '--port', edl, '--module-revision', FACTORY, '--backup-dir', join(work.path, `refused-${module}`), '--json'], { timeoutMs: 120_000 });
      assert.equal(refused.code, 4, refused.stderr);
      assert.match(refused.stderr, /geometry/i);
      assert.match(refused.stderr, /what to do:/);
      const answer = JSON.parse(refused.stdout.trim().split('\n').at(-1) ?? '{}') as { ok?: boolean; error?: { category?: string; written?: boolean } };
      assert.deepEqual([answer.ok, answer.error?.category, answer.error?.written], [false, 'refused', false]);
      assert.equal(sim.module.flash.nand.generation, generation, 'not a page of the NAND changed');
      const state = await sim.control.state();
      assert.deepEqual([state.mode, state.health.bootChain], ['edl', 'corrupt']);
      // A power cycle (what a bench does after a refusal) brings it back in 9008; the matching package goes through.
      await sim.control.setVbat(0);
      await sim.control.setVbat(3.8);
      await sim.waitFor((s) => s.mode === 'edl' && s.usb.ports.edl !== undefined, 30_000, '9008 after the power cycle');
      const flashed = await runMedic(['flash', packageFor(module), '--port', edl, '--module-revision', FACTORY, '--backup-dir', join(work.path, `second-${module}`)], { timeoutMs: 180_000 });
      assert.equal(flashed.code, 0, flashed.stderr);
      await sim.waitFor((s) => s.mode === 'normal' && s.firmware.rdy, 60_000, 'the module to boot after the flash');
      assert.deepEqual(sim.state().health, { efs: 'ok', bootChain: 'ok' });
    });
  }
});
