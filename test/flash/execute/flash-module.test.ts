import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemoryLogger } from '../../../src/core/logger.js';
import { flashModule, type FlashProgress } from '../../../src/flash/execute/index.js';
import { FlashRecoverableError, FlashRefusedError } from '../../../src/flash/execute/errors.js';
import { bootImageLooksValid } from '../../../src/sim/nand/partition-state.js';
import { inspectPartitionImage, makePackage } from '../../../src/sim/package/index.js';
import { edlLink, FACTORY_REVISION, factoryModule, FAST_TIMEOUTS, IMEI, nandSnapshot, partitionBytes } from '../../helpers/edl-module.js';

// `medic flash`'s core against the simulator's EDL session: a module with its factory firmware
// and calibration, a package of the same baseline, and what a user would check afterwards.

const NEW_REVISION = 'EC25AFAR05A06M4G';
const WRITTEN = ['sbl', 'mibib', 'tz', 'rpm', 'aboot', 'boot', 'recovery', 'recoveryfs_b', 'modem', 'recoveryfs', 'qdsp6sw_b', 'sys_back', 'system'];

let work: string;
let packageDir: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'medic-exec-'));
  packageDir = join(work, NEW_REVISION);
  await makePackage(packageDir, { size: 'small', revision: NEW_REVISION });
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

/**
 * Flips one byte of the first chunk of read data after the n-th `rawmode="true"` reply (program
 * setups answer rawmode="true" too, but send no data back).
 */
function flipAfterRawRead(n: number): (bytes: Uint8Array) => Uint8Array {
  let opened = 0;
  let flipped = false;
  return (bytes) => {
    if (bytes[0] === 0x3c) {
      if (Buffer.from(bytes).toString('latin1').includes('rawmode="true"')) opened += 1;
      return bytes;
    }
    if (flipped || opened < n) return bytes;
    flipped = true;
    const copy = bytes.slice();
    copy[100] = (copy[100] ?? 0) ^ 0x01;
    return copy;
  };
}

describe('flashModule', () => {
  it('flashes a package of the same baseline: every image valid, efs2 untouched and backed up, SBL last, progress to 100 %', async () => {
    const module = await factoryModule(work);
    const efs2Before = partitionBytes(module, 'efs2', 88 * 64 * 4096);
    const link = edlLink(module);
    const progress: FlashProgress[] = [];
    const logger = new MemoryLogger();
    const deviceLogs: string[] = [];
    const result = await flashModule(link.host, {
      package: packageDir,
      moduleRevision: FACTORY_REVISION,
      unit: { imei: IMEI },
      backup: { root: join(work, 'backups') },
      onProgress: (entry) => progress.push(entry),
      onDeviceLog: (line) => deviceLogs.push(line),
      logger,
      ...FAST_TIMEOUTS,
    });
    assert.equal(result.outcome, 'flashed-and-verified');
    assert.equal(result.reset, true);
    assert.deepEqual(link.resets, ['firehose-power']);
    for (const name of WRITTEN) {
      const image = inspectPartitionImage(module.nand, module.table, name);
      assert.ok(image.valid, `${name}: ${image.valid ? '' : image.detail}`);
      if (name === 'modem') assert.equal(image.revision, NEW_REVISION);
    }
    assert.ok(bootImageLooksValid(module.nand, module.table));
    // efs2 untouched, and its backup on disk equals the NAND.
    assert.deepEqual(partitionBytes(module, 'efs2', efs2Before.length), efs2Before);
    assert.match(result.backupDirectory, new RegExp(`imei-${IMEI}`));
    const saved = await readFile(join(result.backupDirectory, 'efs2.bin'));
    assert.deepEqual(new Uint8Array(saved), efs2Before);
    const manifest = JSON.parse(await readFile(join(result.backupDirectory, 'backup.json'), 'utf8')) as { partitions: { name: string }[]; unit: { imei: string } };
    assert.deepEqual(manifest.partitions.map((entry) => entry.name), ['efs2', 'sys_rev', 'rawdata']);
    assert.equal(manifest.unit.imei, IMEI);
    assert.deepEqual((await readdir(result.backupDirectory)).sort(), ['backup.json', 'efs2.bin', 'rawdata.bin', 'sys_rev.bin']);
    // Order at the device: reads (backup) before any erase; SBL erased first, programmed last.
    const writes = link.commands.filter((command) => command.tag === 'erase' || command.tag === 'program');
    assert.deepEqual(writes[0], { tag: 'erase', startSector: 0 });
    assert.deepEqual(writes.at(-1), { tag: 'program', startSector: 0 });
    const firstErase = link.commands.findIndex((command) => command.tag === 'erase');
    assert.ok(link.commands.slice(0, firstErase).filter((command) => command.tag === 'read').length >= 7, 'table read + 3 partitions × 2 before any erase');
    assert.equal(link.commands.at(-1)?.tag, 'power');
    // Progress reaches 100 %.
    const last = progress.at(-1) ?? assert.fail('no progress');
    assert.equal(last.bytesDone, last.bytesTotal);
    assert.ok(progress.some((entry) => entry.phase === 'backup' && entry.partition === 'efs2'));
    assert.ok(deviceLogs.some((line) => /Supported Functions/i.test(line)), 'device logs reach the caller');
  });

  it('flashes around bad blocks (one in efs2, one at the start of modem) and verifies', async () => {
    const module = await factoryModule(work, { badBlocks: [30, 416] });
    const link = edlLink(module);
    const result = await flashModule(link.host, { package: packageDir, moduleRevision: FACTORY_REVISION, unit: { imei: IMEI }, backup: { directory: join(work, 'bad-blocks') }, ...FAST_TIMEOUTS });
    assert.equal(result.outcome, 'flashed-and-verified');
    for (const name of WRITTEN) assert.ok(inspectPartitionImage(module.nand, module.table, name).valid, name);
    const saved = new Uint8Array(await readFile(join(result.backupDirectory, 'efs2.bin')));
    assert.deepEqual(saved.subarray(0, module.calibration.length), module.calibration);
    // bad_block_at_end: the good blocks in order, then 0xFF for the bad one (edl-protocols.md §2.5).
    assert.ok(saved.subarray(saved.length - 64 * 4096).every((byte) => byte === 0xff));
    const manifest = JSON.parse(await readFile(result.manifestFile, 'utf8')) as { badBlocks: number[] };
    assert.deepEqual(manifest.badBlocks, [30, 416]);
  });

  it('refuses a baseline change before anything is sent to the module', async () => {
    const module = await factoryModule(work);
    const before = nandSnapshot(module.nand);
    const dir = join(work, 'EC25AFAR06A01M4G');
    await makePackage(dir, { size: 'small', revision: 'EC25AFAR06A01M4G' });
    const link = edlLink(module);
    const error = await flashModule(link.host, { package: dir, moduleRevision: FACTORY_REVISION, unit: { imei: IMEI }, backup: { root: join(work, 'backups') }, ...FAST_TIMEOUTS }).then(
      () => assert.fail('flashed'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof FlashRefusedError, String(error));
    assert.equal(error.code, 'FLASH_PACKAGE_REFUSED');
    assert.match(error.message, /BASELINE_CHANGE/);
    assert.equal(link.commands.length, 0);
    assert.deepEqual(nandSnapshot(module.nand), before);
  });

  it('refuses a package with a wrong MD5; the NAND is byte-for-byte unchanged', async () => {
    const module = await factoryModule(work);
    const before = nandSnapshot(module.nand);
    const dir = join(work, 'md5-bad', NEW_REVISION);
    await makePackage(dir, { size: 'small', revision: NEW_REVISION, corrupt: { kind: 'md5-mismatch' } });
    const link = edlLink(module);
    const error = await flashModule(link.host, { package: dir, moduleRevision: FACTORY_REVISION, unit: { imei: IMEI }, backup: { root: join(work, 'backups') }, ...FAST_TIMEOUTS }).then(
      () => assert.fail('flashed'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof FlashRefusedError);
    assert.equal(error.written, false);
    assert.match(error.message, /MD5_MISMATCH/);
    assert.deepEqual(nandSnapshot(module.nand), before);
  });

  it('stops before any erase when two backup reads differ', async () => {
    const module = await factoryModule(work);
    const before = nandSnapshot(module.nand);
    // One byte flipped in the first data chunk of the second read of efs2 (the link garbles it):
    // raw reads are the 1st (partition table), 2nd and 3rd (efs2 twice) … rawmode="true" replies.
    const link = edlLink(module, { tamper: flipAfterRawRead(3) });
    const error = await flashModule(link.host, { package: packageDir, moduleRevision: FACTORY_REVISION, unit: { imei: IMEI }, backup: { directory: join(work, 'mismatch') }, ...FAST_TIMEOUTS }).then(
      () => assert.fail('flashed'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof FlashRefusedError, String(error));
    assert.equal(error.code, 'FLASH_BACKUP_MISMATCH');
    assert.equal(link.commands.filter((command) => command.tag === 'erase' || command.tag === 'program').length, 0);
    assert.deepEqual(nandSnapshot(module.nand), before);
    assert.deepEqual(await readdir(join(work, 'mismatch')), [], 'no half backup is left behind');
  });

  it('a power cut while programming: FAILED-RECOVERABLE naming the backup, SBL not valid, efs2 intact', async () => {
    const module = await factoryModule(work);
    const efs2Before = partitionBytes(module, 'efs2', 0x6000);
    // Past the configure, table read, backups and erases: inside the program data.
    let programs = 0;
    const link = edlLink(module);
    const original = link.host.write.bind(link.host);
    const host = {
      ...link.host,
      isOpen: true,
      description: link.host.description,
      read: link.host.read.bind(link.host),
      close: link.host.close.bind(link.host),
      write: (data: Uint8Array, signal?: AbortSignal) => {
        if (Buffer.from(data.subarray(0, 80)).toString('latin1').includes('<program')) {
          programs += 1;
          if (programs === 4) queueMicrotask(() => link.session.powerCut());
        }
        return original(data, signal);
      },
    };
    const error = await flashModule(host, { package: packageDir, moduleRevision: FACTORY_REVISION, unit: { imei: IMEI }, backup: { root: join(work, 'backups') }, ...FAST_TIMEOUTS }).then(
      () => assert.fail('flashed'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof FlashRecoverableError, String(error));
    assert.equal(error.code, 'FLASH_INTERRUPTED');
    assert.ok(error.backupDirectory !== undefined);
    assert.ok(error.hint?.includes(error.backupDirectory));
    assert.match(error.hint ?? '', /EDL/);
    assert.equal(bootImageLooksValid(module.nand, module.table), false, 'SBL erased: the module falls to 9008');
    assert.deepEqual(partitionBytes(module, 'efs2', efs2Before.length), efs2Before);
    const saved = await readFile(join(error.backupDirectory, 'efs2.bin'));
    assert.deepEqual(new Uint8Array(saved.subarray(0, efs2Before.length)), efs2Before);
  });

  it('a read-back that differs stops the flash before SBL is programmed, so the module falls to EDL', async () => {
    const module = await factoryModule(work);
    // Reads: the table, 3 partitions × 2, then the first read-back (mibib).
    const link = edlLink(module, { tamper: flipAfterRawRead(8) });
    const error = await flashModule(link.host, { package: packageDir, moduleRevision: FACTORY_REVISION, unit: { imei: IMEI }, backup: { directory: join(work, 'verify') }, ...FAST_TIMEOUTS }).then(
      () => assert.fail('flashed'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof FlashRecoverableError, String(error));
    assert.equal(error.code, 'FLASH_VERIFY_MISMATCH');
    assert.match(error.message, /partition_complete/);
    assert.ok(error.hint?.includes(join(work, 'verify')));
    assert.ok(!link.commands.some((command) => command.tag === 'program' && command.startSector === 0), 'SBL never programmed');
    assert.equal(bootImageLooksValid(module.nand, module.table), false);
  });

  it('cancelled while programming: FAILED-RECOVERABLE, SBL not valid; cancelled during the backup: nothing written', async () => {
    const module = await factoryModule(work);
    const controller = new AbortController();
    const link = edlLink(module);
    const error = await flashModule(link.host, {
      package: packageDir,
      moduleRevision: FACTORY_REVISION,
      unit: { imei: IMEI },
      backup: { directory: join(work, 'cancel-program') },
      signal: controller.signal,
      onProgress: (entry) => {
        if (entry.phase === 'program' && entry.partition === 'modem') controller.abort();
      },
      ...FAST_TIMEOUTS,
    }).catch((caught: unknown) => caught);
    assert.ok(error instanceof FlashRecoverableError, String(error));
    assert.equal(error.code, 'FLASH_INTERRUPTED');
    assert.equal(bootImageLooksValid(module.nand, module.table), false);

    const fresh = await factoryModule(work);
    const before = nandSnapshot(fresh.nand);
    const early = new AbortController();
    const refused = await flashModule(edlLink(fresh).host, {
      package: packageDir,
      moduleRevision: FACTORY_REVISION,
      unit: { imei: IMEI },
      backup: { directory: join(work, 'cancel-backup') },
      signal: early.signal,
      onProgress: (entry) => {
        if (entry.phase === 'backup' && entry.bytesDone > 1_000_000) early.abort();
      },
      ...FAST_TIMEOUTS,
    }).catch((caught: unknown) => caught);
    assert.ok(refused instanceof FlashRefusedError, String(refused));
    assert.equal(refused.code, 'FLASH_NOT_STARTED');
    assert.deepEqual(nandSnapshot(fresh.nand), before);
  });
});
