// Issue 3 "Tests", through the real parts: `medic flash` as a child process against a simulated
// module on its 9008 pty, power cut or USB link dropped at a random byte of the Firehose phase
// (control API, src/sim/control/README.md "EDL faults"), on either NAND geometry with seeded
// factory bad blocks. Every run ends flashed-and-verified, or refused with not a page written, or
// failed-recoverable — and then, power restored, the module is back in 9008 (or boots a firmware
// whose every partition is whole), never hung or bricked. efs2 is never written, and whenever
// anything was written the calibration backup on disk is exactly the module's efs2.
// The in-memory variant (interrupted-flash.property.test.ts) covers more points faster.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { NandPresetName } from '../../../src/sim/nand/nand-geometry.js';
import { readPartitionImage } from '../../../src/sim/nand/partition-state.js';
import { inspectPartitionImage, makePackage } from '../../../src/sim/package/index.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/simulator.js';
import { runMedic } from '../../helpers/medic.js';
import { tempDir } from '../../helpers/wait.js';

const FACTORY = 'EC25AFAR05A04M4G';
const NEW_REVISION = 'EC25AFAR05A06M4G';
const GEOMETRIES = ['p4K_b256K', 'p2K_b128K'] as const;
/** Partitions the small package writes besides sbl. */
const WRITTEN = ['mibib', 'tz', 'rpm', 'aboot', 'boot', 'recovery', 'recoveryfs_b', 'modem', 'recoveryfs', 'qdsp6sw_b', 'sys_back', 'system'];
/** Host→device bytes of the Firehose phase of a small-package flash: ~380 KB of images plus the XML. */
const RECEIVED = 440_000;
/** Before the first erase: configure, getstorageinfo, the table and the backup reads are a few KB of XML. */
const EARLY = 4_000;

interface Interruption {
  readonly geometry: NandPresetName;
  readonly fault: { readonly cutPowerAfterBytes: number } | { readonly dropLinkAfterBytes: number };
  readonly seed: number;
}

interface FlashAnswer {
  readonly ok: boolean;
  readonly result?: { readonly outcome: string; readonly backupDirectory: string };
  readonly error?: { readonly code: string; readonly hint?: string; readonly category?: string; readonly written?: boolean; readonly backupDirectory?: string };
}

let work: Awaited<ReturnType<typeof tempDir>>;
const packages = new Map<NandPresetName, string>();

before(async () => {
  work = await tempDir();
  for (const geometry of GEOMETRIES) {
    const dir = join(work.path, `pkg-${geometry}`);
    await makePackage(dir, { revision: NEW_REVISION, size: 'small', geometry });
    packages.set(geometry, dir);
  }
});
after(async () => {
  await work.remove();
});

const interruption: fc.Arbitrary<Interruption> = fc.record({
  geometry: fc.constantFrom(...GEOMETRIES),
  // Anywhere in the flash, unbiased (fast-check's default leans to the ends of the range, where
  // few runs would cut a write), or early: in the configure / storage-info / backup phase.
  fault: fc.oneof(
    fc.noBias(fc.integer({ min: 0, max: RECEIVED })).map((bytes) => ({ cutPowerAfterBytes: bytes })),
    fc.noBias(fc.integer({ min: 0, max: RECEIVED })).map((bytes) => ({ dropLinkAfterBytes: bytes })),
    fc.tuple(fc.boolean(), fc.integer({ min: 0, max: EARLY })).map(([cut, bytes]) => (cut ? { cutPowerAfterBytes: bytes } : { dropLinkAfterBytes: bytes })),
  ),
  seed: fc.integer({ min: 1, max: 0x7fffffff }),
});

/** efs2's good blocks in order: what the backup (read with bad_block_at_end) starts with. */
function efs2Of(sim: RunningSimulator): Uint8Array {
  const { nand, table } = sim.module.flash;
  const spec = table.get('efs2');
  let good = 0;
  for (let block = spec.startBlock; block < spec.startBlock + spec.blockCount; block += 1) if (!nand.isBadBlock(block)) good += 1;
  return readPartitionImage(nand, table, 'efs2', good * nand.geometry.pageSize * nand.geometry.pagesPerBlock);
}

function lastJson(stdout: string): FlashAnswer {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as FlashAnswer;
}

const inEdl = (state: ReturnType<RunningSimulator['state']>): boolean => state.mode === 'edl' && state.usb.ports.edl !== undefined;
const booted = (state: ReturnType<RunningSimulator['state']>): boolean => state.mode === 'normal' && state.firmware.rdy;

describe('medic flash interrupted at a random point, over a real pty', () => {
  it('ends verified, refused with nothing written, or failed-recoverable with the module back in 9008 and its calibration backup on disk', async (t) => {
    let run = 0;
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(interruption, async ({ geometry, fault, seed }) => {
        run += 1;
        const what = JSON.stringify({ geometry, fault, seed });
        const sim = await startSimulator({ stateDir: join(work.path, `state-${run}`), timeScale: 0.01, seed, revision: FACTORY, scenario: 'edl-corrupt', geometry, badBlocks: { count: 3 } });
        try {
          const start = await sim.waitFor(inEdl, 20_000, '9008');
          const edl = start.usb.ports.edl ?? '';
          const efs2Before = efs2Of(sim);
          const generation = sim.module.flash.nand.generation;
          await sim.control.addEdlFaults(fault);
          const flash = await runMedic(['flash', packages.get(geometry) ?? '', '--port', edl, '--module-revision', FACTORY, '--backup-dir', join(work.path, `backups-${run}`), '--json'], { timeoutMs: 240_000 });
          const answer = lastJson(flash.stdout);
          const unchanged = sim.module.flash.nand.generation === generation;

          // Whatever happened, the calibration on the module was not touched.
          assert.deepEqual(efs2Of(sim), efs2Before, `efs2 changed (${what})`);

          if (answer.ok) {
            assert.equal(flash.code, 0, what);
            assert.equal(answer.result?.outcome, 'flashed-and-verified', what);
            seen.add('flashed');
            t.diagnostic(`${what}: flashed-and-verified`);
            const saved = new Uint8Array(await readFile(join(answer.result.backupDirectory, 'efs2.bin')));
            assert.deepEqual(saved.subarray(0, efs2Before.length), efs2Before, `backup ≠ efs2 (${what})`);
            // A cut after the last byte (the reset) still leaves the new firmware: restore power if it went.
            if ((await sim.control.state()).mode === 'off') await sim.control.setVbat(3.8);
            await sim.waitFor(booted, 60_000, `the flashed module to boot (${what})`);
            assert.equal(sim.module.flash.verdict().revision, NEW_REVISION, what);
            assert.deepEqual(sim.state().health, { efs: 'ok', bootChain: 'ok' }, what);
            return;
          }

          const error = answer.error;
          assert.ok(error !== undefined, `${what}: no JSON error\n${flash.stderr}`);
          assert.ok(error.hint !== undefined && error.hint.length > 0, `${what}: ${error.code} has no hint`);
          assert.ok(error.category === 'refused' || error.category === 'failed-recoverable', `${what}: ${error.code} is neither refused nor failed-recoverable\n${flash.stderr}`);
          assert.equal(flash.code, error.category === 'refused' ? 4 : 5, what);
          seen.add(error.category);
          t.diagnostic(`${what}: ${error.category} (${error.code}, written: ${String(error.written)})`);
          if (error.written === true) {
            assert.equal(error.category, 'failed-recoverable', what);
            assert.ok(error.backupDirectory !== undefined, what);
            const saved = new Uint8Array(await readFile(join(error.backupDirectory, 'efs2.bin')));
            assert.deepEqual(saved.subarray(0, efs2Before.length), efs2Before, `backup ≠ efs2 (${what})`);
          } else {
            assert.ok(unchanged, `${what}: ${error.code} says nothing was written, but the NAND changed`);
          }

          // Power restored (after a cut) or cycled (after a drop): 9008, or a firmware whose every part is whole.
          if ((await sim.control.state()).mode !== 'off') await sim.control.setVbat(0);
          await sim.control.setVbat(3.8);
          const back = await sim.waitFor((state) => inEdl(state) || booted(state), 60_000, `the module to come back in 9008 or boot, not hang (${what})`);
          t.diagnostic(`${what}: came back ${back.mode}`);
          if (back.mode === 'normal') {
            const { flash: moduleFlash } = sim.module;
            assert.equal(moduleFlash.verdict().revision, NEW_REVISION, what);
            for (const name of WRITTEN) assert.ok(inspectPartitionImage(moduleFlash.nand, moduleFlash.table, name).valid, `${name} is not whole behind a bootable sbl (${what})`);
            assert.deepEqual(back.health, { efs: 'ok', bootChain: 'ok' }, what);
          }
        } finally {
          await sim.stop();
        }
      }),
      { numRuns: 8, seed: 20261124 },
    );
    // The fixed seed's points reach all three endings (one outran the fault, one stopped before the
    // first write, the others part-way), on both geometries, with both faults.
    assert.deepEqual([...seen].sort(), ['failed-recoverable', 'flashed', 'refused']);
  });
});
