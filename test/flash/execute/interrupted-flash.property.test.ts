import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { flashModule, isFlashExecutionError } from '../../../src/flash/execute/index.js';
import type { FirehoseFaults } from '../../../src/sim/edl/firehose-faults.js';
import { bootImageLooksValid } from '../../../src/sim/nand/partition-state.js';
import { inspectPartitionImage, makePackage } from '../../../src/sim/package/index.js';
import { edlLink, FACTORY_REVISION, factoryModule, FAST_TIMEOUTS, IMEI, nandSnapshot, partitionBytes } from '../../helpers/edl-module.js';

// Issue 3 "Tests": random power-cut and link-drop points during a flash. Every run ends either
// flashed-and-verified, or with a clear error (a FlashExecutionError with a code and a hint);
// nothing written means the NAND is unchanged; something written means the backup is on disk;
// a valid boot chain is never left in front of a partition that is not; efs2 is never touched.

const NEW_REVISION = 'EC25AFAR05A06M4G';
const WRITTEN = ['mibib', 'tz', 'rpm', 'aboot', 'boot', 'recovery', 'recoveryfs_b', 'modem', 'recoveryfs', 'qdsp6sw_b', 'sys_back', 'system'];
/** Host→device bytes of a flash of the small package: ~380 KB of images plus the XML. */
const RECEIVED = 420_000;
/** Device→host bytes: the backups (~58 MB) and the read-back. */
const SENT = 60_000_000;

let work: string;
let packageDir: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'medic-prop-'));
  packageDir = join(work, NEW_REVISION);
  await makePackage(packageDir, { size: 'small', revision: NEW_REVISION });
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

const faultArbitrary: fc.Arbitrary<FirehoseFaults> = fc.oneof(
  fc.integer({ min: 0, max: RECEIVED }).map((bytes) => ({ cutPowerAfterReceivedBytes: bytes })),
  fc.integer({ min: 0, max: RECEIVED }).map((bytes) => ({ dropLinkAfterReceivedBytes: bytes })),
  fc.integer({ min: 0, max: SENT }).map((bytes) => ({ dropLinkAfterSentBytes: bytes })),
);

describe('a flash interrupted at a random point', () => {
  it('ends verified, or with a clear error and a module that is unchanged or falls to EDL with its backup on disk', async () => {
    let run = 0;
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(faultArbitrary, async (faults) => {
        run += 1;
        const module = await factoryModule(work);
        const before = nandSnapshot(module.nand);
        const efs2Before = partitionBytes(module, 'efs2', 0x6000);
        const link = edlLink(module, { faults });
        const directory = join(work, `run-${run}`);
        const outcome = await flashModule(link.host, { package: packageDir, moduleRevision: FACTORY_REVISION, unit: { imei: IMEI }, backup: { directory }, ...FAST_TIMEOUTS }).then(
          (result) => ({ ok: true as const, result }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        // efs2 is never written by a flash.
        assert.deepEqual(partitionBytes(module, 'efs2', efs2Before.length), efs2Before);
        const bootValid = bootImageLooksValid(module.nand, module.table) && inspectPartitionImage(module.nand, module.table, 'sbl').valid;
        if (bootValid) {
          // Never a working boot chain in front of a partial image.
          for (const name of WRITTEN) assert.ok(inspectPartitionImage(module.nand, module.table, name).valid, `${name} not valid behind a valid SBL (${JSON.stringify(faults)})`);
        }
        if (outcome.ok) {
          assert.equal(outcome.result.outcome, 'flashed-and-verified');
          seen.add('flashed');
          assert.ok(bootValid);
          return;
        }
        const { error } = outcome;
        assert.ok(isFlashExecutionError(error), `not a flash error: ${String(error)}`);
        assert.ok(error.hint !== undefined && error.hint.length > 0);
        seen.add(error.category);
        if (!error.written) {
          assert.deepEqual(nandSnapshot(module.nand), before, `refused (${error.code}) but the NAND changed`);
          return;
        }
        // Something was written: the backup is complete on disk, and it is the calibration.
        assert.equal(error.category, 'failed-recoverable');
        assert.equal(error.backupDirectory, directory);
        assert.ok(error.hint.includes(directory));
        await stat(join(directory, 'backup.json'));
        const saved = await readFile(join(directory, 'efs2.bin'));
        assert.deepEqual(new Uint8Array(saved.subarray(0, efs2Before.length)), efs2Before);
      }),
      { numRuns: 15, seed: 20261123 },
    );
    // The fixed seed's points cover all three endings (a flash that outran the fault, a stop before
    // the first write, and one after it).
    assert.deepEqual([...seen].sort(), ['failed-recoverable', 'flashed', 'refused']);
  });
});
