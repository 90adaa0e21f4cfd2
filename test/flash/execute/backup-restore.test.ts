import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { backupModule, FlashRefusedError, restoreCalibration } from '../../../src/flash/execute/index.js';
import type { ByteTransport } from '../../../src/transport/byte-transport.js';
import { inspectPartitionImage, makePackage } from '../../../src/sim/package/index.js';
import { edlLink, factoryModule, FAST_TIMEOUTS, IMEI, nandSnapshot, partitionBytes } from '../../helpers/edl-module.js';

// `medic backup` and `medic flash --restore-calibration` against the simulator's EDL session.

const EFS2_BYTES = 88 * 64 * 4096;

let work: string;
let programmer: Uint8Array;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'medic-backup-'));
  const dir = join(work, 'EC25AFAR05A04M4G');
  await makePackage(dir, { size: 'small', revision: 'EC25AFAR05A04M4G' });
  programmer = new Uint8Array(await readFile(join(dir, 'update', 'firehose', 'prog_nand_firehose_9x07.mbn')));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('backupModule', () => {
  it('saves the per-unit partitions, each read twice, with a manifest; writes nothing; leaves the programmer running', async () => {
    const module = await factoryModule(work);
    const before = nandSnapshot(module.nand);
    const link = edlLink(module);
    const result = await backupModule(link.host, { programmer, unit: { imei: IMEI }, backup: { root: join(work, 'b1') }, moduleRevision: 'EC25AFAR05A04M4G', ...FAST_TIMEOUTS });
    assert.deepEqual(result.partitions.map((entry) => entry.partition), ['efs2', 'sys_rev', 'rawdata']);
    assert.deepEqual(new Uint8Array(await readFile(join(result.backupDirectory, 'efs2.bin'))), partitionBytes(module, 'efs2', EFS2_BYTES));
    const manifest = JSON.parse(await readFile(result.manifestFile, 'utf8')) as { moduleRevision: string; partitions: { reads: number }[] };
    assert.equal(manifest.moduleRevision, 'EC25AFAR05A04M4G');
    assert.ok(manifest.partitions.every((entry) => entry.reads === 2));
    assert.equal(link.commands.filter((command) => command.tag === 'read').length, 1 + 3 * 2);
    assert.ok(!link.commands.some((command) => command.tag === 'erase' || command.tag === 'program' || command.tag === 'power'));
    assert.deepEqual(nandSnapshot(module.nand), before);
    assert.equal(link.session.phase, 'firehose');
  });

  it('finds a programmer already running and skips Sahara', async () => {
    const module = await factoryModule(work);
    const link = edlLink(module, { startIn: 'firehose' });
    const result = await backupModule(link.host, { programmer, unit: { imei: IMEI }, backup: { directory: join(work, 'b2') }, reset: true, ...FAST_TIMEOUTS });
    assert.equal(result.reset, true);
    assert.deepEqual(link.resets, ['firehose-power']);
  });

  it('finds an idle programmer that already said everything (left running by an earlier backup) and skips Sahara', async () => {
    const module = await factoryModule(work);
    const link = edlLink(module, { startIn: 'firehose' });
    // An earlier `medic backup` read the programmer's start-up logs; the next host hears nothing.
    await drainFor(link.host, 200);
    const result = await backupModule(link.host, { programmer, unit: { imei: IMEI }, backup: { directory: join(work, 'b-idle') }, ...FAST_TIMEOUTS, saharaTimeouts: { helloMs: 100, packetMs: 1000 } });
    assert.deepEqual(new Uint8Array(await readFile(join(result.backupDirectory, 'efs2.bin'))), partitionBytes(module, 'efs2', EFS2_BYTES));
  });

  it('refuses a backup folder that already holds a backup', async () => {
    const module = await factoryModule(work);
    await backupModule(edlLink(module).host, { programmer, unit: { imei: IMEI }, backup: { directory: join(work, 'b3') }, ...FAST_TIMEOUTS });
    const error = await backupModule(edlLink(module).host, { programmer, unit: { imei: IMEI }, backup: { directory: join(work, 'b3') }, ...FAST_TIMEOUTS }).catch((caught: unknown) => caught);
    assert.ok(error instanceof FlashRefusedError);
    assert.equal(error.code, 'FLASH_BACKUP_EXISTS');
  });
});

describe('restoreCalibration', () => {
  it('writes a saved efs2 back to a module that lost it, after saving what it held', async () => {
    const module = await factoryModule(work);
    const saved = await backupModule(edlLink(module).host, { programmer, unit: { imei: IMEI }, backup: { directory: join(work, 'r1') }, ...FAST_TIMEOUTS });
    const efs2 = module.table.get('efs2');
    for (let block = efs2.startBlock; block < efs2.startBlock + efs2.blockCount; block += 1) module.nand.eraseBlock(block);
    assert.equal(inspectPartitionImage(module.nand, module.table, 'efs2').valid, false);

    const link = edlLink(module);
    const result = await restoreCalibration(link.host, { backupDirectory: saved.backupDirectory, programmer, unit: { imei: IMEI }, ...FAST_TIMEOUTS });
    assert.equal(result.outcome, 'restored-and-verified');
    assert.equal(result.reset, true);
    assert.ok(inspectPartitionImage(module.nand, module.table, 'efs2').valid);
    assert.deepEqual(partitionBytes(module, 'efs2', module.calibration.length), module.calibration);
    assert.deepEqual(link.commands.filter((command) => command.tag !== 'configure' && command.tag !== 'getstorageinfo').map((command) => command.tag), ['read', 'read', 'read', 'erase', 'program', 'read', 'power']);
    const before = JSON.parse(await readFile(join(result.safetyBackupDirectory, 'backup.json'), 'utf8')) as { partitions: { name: string }[] };
    assert.deepEqual(before.partitions.map((entry) => entry.name), ['efs2']);
  });

  it('refuses another unit\'s backup before writing anything', async () => {
    const module = await factoryModule(work);
    const saved = await backupModule(edlLink(module).host, { programmer, unit: { imei: IMEI }, backup: { directory: join(work, 'r2') }, ...FAST_TIMEOUTS });
    const before = nandSnapshot(module.nand);
    const error = await restoreCalibration(edlLink(module).host, { backupDirectory: saved.backupDirectory, programmer, unit: { imei: '867698049999990' }, ...FAST_TIMEOUTS }).catch((caught: unknown) => caught);
    assert.ok(error instanceof FlashRefusedError, String(error));
    assert.equal(error.code, 'FLASH_PLAN_REFUSED');
    assert.match(error.message, /IMEI/);
    assert.deepEqual(nandSnapshot(module.nand), before);
  });

  it('names a unit that only shows EDL by its chip serial, and restores by it', async () => {
    const module = await factoryModule(work);
    const saved = await backupModule(edlLink(module).host, { programmer, backup: { root: join(work, 'by-serial') }, ...FAST_TIMEOUTS });
    assert.match(saved.backupDirectory, /serial-2c7c0125/);
    const manifest = JSON.parse(await readFile(saved.manifestFile, 'utf8')) as { unit: { serial?: string } };
    assert.equal(manifest.unit.serial, '2c7c0125');
    const result = await restoreCalibration(edlLink(module).host, { backupDirectory: saved.backupDirectory, programmer, unit: {}, noVerify: true, reset: false, ...FAST_TIMEOUTS });
    assert.equal(result.outcome, 'restored');
    assert.deepEqual(partitionBytes(module, 'efs2', module.calibration.length), module.calibration);
  });
});

/** Reads and discards whatever arrives until `ms` pass without a byte. */
async function drainFor(transport: ByteTransport, ms: number): Promise<void> {
  for (;;) {
    // Not AbortSignal.timeout: its timer does not keep the event loop alive.
    const quiet = new AbortController();
    const timer = setTimeout(() => {
      quiet.abort();
    }, ms);
    try {
      await transport.read(quiet.signal);
    } catch {
      return;
    } finally {
      clearTimeout(timer);
    }
  }
}
