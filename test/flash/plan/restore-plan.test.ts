import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { openPackage } from '../../../src/flash/package/open-package.js';
import { parseNandPartitionTable } from '../../../src/flash/package/partition-table.js';
import { requireValidPackage, validatePackage, type ValidatedPackage } from '../../../src/flash/package/validate.js';
import { createBackupManifest, parseBackupManifest, serializeBackupManifest } from '../../../src/flash/plan/backup-manifest.js';
import { buildFlashPlan, type FlashPlan } from '../../../src/flash/plan/flash-plan.js';
import { buildRestorePlan, type RestorePlanOptions } from '../../../src/flash/plan/restore-plan.js';
import type { BackupStep, ProgramStep, VerifyStep } from '../../../src/flash/plan/steps.js';
import { buildMibib, EC25_PARTITIONS, ec25PackageFiles, ec25Storage, REVISION, writePackageDir } from '../../helpers/ec25-package.js';

// The restore of a saved efs2 (lost RF calibration, quectel-ec25.md §5.1). The backup folder is
// made the way an executor of a flash plan makes it: the plan's backup steps, the files they name,
// and backup.json from createBackupManifest.

const IMEI = '861234567890126';
const SERIAL = 0x0cf94c64;
const BLOCK = 256 * 1024;
const EFS2_BLOCKS = 88;
const DATA_BLOCKS = 30;

let work: string;
let validated: ValidatedPackage;
let plan: FlashPlan;
let efs2: Uint8Array;

function codeOf(error: unknown): string | undefined {
  return isMedicError(error) ? error.code : undefined;
}

function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** Writes what an executor writes after the backup steps of `plan` succeeded. */
async function writeBackup(flash: FlashPlan, contents: ReadonlyMap<string, Uint8Array>): Promise<void> {
  await mkdir(flash.backup.directory, { recursive: true });
  const results = [];
  for (const step of flash.steps.filter((entry): entry is BackupStep => entry.kind === 'backup')) {
    const bytes = contents.get(step.partition) ?? new Uint8Array((step.region.numSectors ?? 0) * 4096).fill(0xff);
    await writeFile(step.file, bytes);
    results.push({ partition: step.partition, md5: md5(bytes), bytes: bytes.length });
  }
  const manifest = createBackupManifest(flash, results, { unit: { imei: IMEI, serial: SERIAL }, badBlocks: [], now: new Date('2026-11-23T22:15:30Z') });
  await writeFile(flash.backup.manifestFile, serializeBackupManifest(manifest));
}

function restoreOptions(overrides: Partial<RestorePlanOptions> = {}): RestorePlanOptions {
  return { backupDirectory: plan.backup.directory, storage: ec25Storage(), unit: { serial: SERIAL }, now: new Date('2026-12-01T08:00:00Z'), ...overrides };
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'medic-restore-'));
  const root = await writePackageDir(work, REVISION, ec25PackageFiles());
  const pkg = await openPackage(root);
  validated = requireValidPackage(await validatePackage(pkg, { moduleRevision: REVISION, storage: ec25Storage() }));
  plan = buildFlashPlan(validated, { storage: ec25Storage(), unit: { imei: IMEI, serial: SERIAL }, backup: { root: join(work, 'backups') }, now: new Date('2026-11-23T22:15:30Z') });
  // An EFS2 with data in its first 30 blocks; the rest erased, as bad_block_at_end leaves it.
  efs2 = new Uint8Array(EFS2_BLOCKS * BLOCK).fill(0xff);
  for (let i = 0; i < DATA_BLOCKS * BLOCK - 1000; i += 1) efs2[i] = (i * 13 + (i >>> 11)) & 0xff;
  await writeBackup(plan, new Map([['efs2', efs2]]));
});

after(async () => {
  await validated.package.close();
  await rm(work, { recursive: true, force: true });
});

describe('backup manifest', () => {
  it('records unit, geometry and each partition with its MD5, and reads back the same', async () => {
    const manifest = parseBackupManifest(await readFile(plan.backup.manifestFile, 'utf8'), 'backup.json');
    assert.deepEqual(manifest.unit, { imei: IMEI, serial: '0cf94c64' });
    assert.deepEqual(manifest.geometry, { pageSize: 4096, pagesPerBlock: 64 });
    assert.equal(manifest.packageRevision, REVISION);
    const entry = manifest.partitions.find((partition) => partition.name === 'efs2');
    assert.deepEqual(entry, { name: 'efs2', file: 'efs2.bin', startSector: 1280, numSectors: 5632, bytes: EFS2_BLOCKS * BLOCK, md5: md5(efs2), reads: 2 });
    assert.throws(() => parseBackupManifest('{"format":"modem-medic-backup","version":1}', 'x'), (error: unknown) => codeOf(error) === 'RESTORE_MANIFEST_INVALID');
    assert.throws(() => parseBackupManifest('not json', 'x'), (error: unknown) => codeOf(error) === 'RESTORE_MANIFEST_INVALID');
  });
});

describe('restore-calibration plan', () => {
  it('saves what is there now, erases efs2, writes the blocks that hold data, reads them back, resets', async () => {
    const restore = await buildRestorePlan(restoreOptions());
    assert.deepEqual(restore.steps.map((step) => step.kind), ['backup', 'erase', 'program', 'verify', 'power']);
    const [safety, erase, program, verify] = restore.steps as [BackupStep, { region: { startSector: number; numSectors: number } }, ProgramStep, VerifyStep];
    assert.equal(safety.file, join(plan.backup.directory, 'before-restore-20261201T080000Z', 'efs2.bin'));
    assert.equal(safety.reads, 2);
    assert.deepEqual([erase.region.startSector, erase.region.numSectors], [1280, 5632]);
    assert.deepEqual(program.source, { kind: 'file', path: join(plan.backup.directory, 'efs2.bin') });
    assert.equal(program.region.startSector, 1280);
    assert.equal(program.region.numSectors, DATA_BLOCKS * 64);
    assert.equal(program.region.pagesPerBlock, 64);
    assert.equal(program.byteLength, DATA_BLOCKS * BLOCK);
    assert.equal(program.md5, md5(efs2.subarray(0, DATA_BLOCKS * BLOCK)));
    assert.equal(verify.md5, program.md5);
    assert.deepEqual(verify.region.extraAttributes, { bad_block_at_end: '1' });
    assert.equal(restore.totals.writeBytes, DATA_BLOCKS * BLOCK);
  });

  it('refuses another unit\'s backup (it would clone IMEI and calibration) and one it cannot tell', async () => {
    await assert.rejects(buildRestorePlan(restoreOptions({ unit: { imei: '861234567890001' } })), (error: unknown) => codeOf(error) === 'RESTORE_OTHER_UNIT');
    await assert.rejects(buildRestorePlan(restoreOptions({ unit: {} })), (error: unknown) => codeOf(error) === 'RESTORE_UNIT_UNVERIFIABLE');
    const allowed = await buildRestorePlan(restoreOptions({ unit: { imei: '861234567890001' }, allowOtherUnit: true }));
    assert.equal(allowed.steps.length, 5);
  });

  it('refuses a backup that changed since it was made', async () => {
    const damaged = join(work, 'damaged');
    const copyPlan = { ...plan, backup: { ...plan.backup, directory: damaged, manifestFile: join(damaged, 'backup.json') }, steps: plan.steps.map((step) => (step.kind === 'backup' ? { ...step, file: join(damaged, `${step.partition}.bin`) } : step)) };
    await writeBackup(copyPlan, new Map([['efs2', efs2]]));
    const bytes = await readFile(join(damaged, 'efs2.bin'));
    bytes[12345] = (bytes[12345] ?? 0) ^ 0x01;
    await writeFile(join(damaged, 'efs2.bin'), bytes);
    await assert.rejects(buildRestorePlan(restoreOptions({ backupDirectory: damaged })), (error: unknown) => codeOf(error) === 'RESTORE_BACKUP_DAMAGED');
  });

  it('refuses when the data no longer fits the good blocks, the geometry differs or the partition moved', async () => {
    const bad = Array.from({ length: EFS2_BLOCKS - DATA_BLOCKS + 1 }, (_, index) => 20 + index);
    await assert.rejects(buildRestorePlan(restoreOptions({ storage: ec25Storage(bad) })), (error: unknown) => codeOf(error) === 'RESTORE_DOES_NOT_FIT');
    const fits = await buildRestorePlan(restoreOptions({ storage: ec25Storage(bad.slice(1)) }));
    assert.equal((fits.steps.find((step) => step.kind === 'verify') as VerifyStep).region.numSectors, (DATA_BLOCKS + bad.length - 1) * 64);
    await assert.rejects(buildRestorePlan(restoreOptions({ storage: { ...ec25Storage(), pageSize: 2048 } })), (error: unknown) => codeOf(error) === 'RESTORE_GEOMETRY_MISMATCH');
    const moved = EC25_PARTITIONS.map((partition) => (partition.name === '0:EFS2' ? { ...partition, offset: 0x540000, length: 0x15c0000 } : partition));
    await assert.rejects(buildRestorePlan(restoreOptions({ moduleTable: parseNandPartitionTable(buildMibib(moved)) })), (error: unknown) => codeOf(error) === 'PLAN_LAYOUT_CHANGE');
    await assert.rejects(buildRestorePlan(restoreOptions({ partitions: ['modem'] })), (error: unknown) => codeOf(error) === 'RESTORE_PARTITION_NOT_IN_BACKUP');
    await assert.rejects(buildRestorePlan(restoreOptions({ backupDirectory: join(work, 'nowhere') })), (error: unknown) => codeOf(error) === 'RESTORE_MANIFEST_INVALID');
  });
});
