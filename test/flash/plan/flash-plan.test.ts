import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { openPackage } from '../../../src/flash/package/open-package.js';
import { parseNandPartitionTable } from '../../../src/flash/package/partition-table.js';
import { requireValidPackage, validatePackage, type ValidatedPackage, type ValidationContext } from '../../../src/flash/package/validate.js';
import { physicalSpan } from '../../../src/flash/plan/extents.js';
import { buildFlashPlan, type FlashPlan, type FlashPlanOptions } from '../../../src/flash/plan/flash-plan.js';
import { flashPhases, type BackupStep, type EraseStep, type FlashStep, type ProgramStep, type VerifyStep } from '../../../src/flash/plan/steps.js';
import { buildMibib, EC25_PARTITIONS, EC25_PROGRAMS, ec25PackageFiles, ec25Storage, PAGE, REVISION, rebuildMd5, sectorsOf, setText, text, writePackageDir, type PackageFiles } from '../../helpers/ec25-package.js';

const IMEI = '861234567890126';
const NOW = new Date('2026-11-23T22:15:30.123Z');
const CONTEXT: ValidationContext = { moduleRevision: 'EC25EFAR06A01M4G', storage: ec25Storage() };
const RAWPROGRAM = 'update/firehose/rawprogram_nand_p4K_b256K_update.xml';

let work: string;
let validated: ValidatedPackage;
let counter = 0;

async function validateFixture(files: PackageFiles, context: ValidationContext = CONTEXT): Promise<ValidatedPackage> {
  counter += 1;
  const root = await writePackageDir(join(work, `p${counter}`), REVISION, files);
  const pkg = await openPackage(root);
  return requireValidPackage(await validatePackage(pkg, context));
}

function options(overrides: Partial<FlashPlanOptions> = {}): FlashPlanOptions {
  return { storage: ec25Storage(), unit: { imei: IMEI, serial: 0x0cf94c64 }, backup: { root: join(work, 'backups') }, now: NOW, ...overrides };
}

function ofKind<K extends FlashStep['kind']>(plan: FlashPlan, kind: K): Extract<FlashStep, { kind: K }>[] {
  return plan.steps.filter((step): step is Extract<FlashStep, { kind: K }> => step.kind === kind);
}

function codeOf(error: unknown): string | undefined {
  return isMedicError(error) ? error.code : undefined;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'medic-plan-'));
  validated = await validateFixture(ec25PackageFiles());
});
after(async () => {
  await validated.package.close();
  await rm(work, { recursive: true, force: true });
});

describe('flash plan order (quectel-ec25.md §2.5, edl-protocols.md §2.9)', () => {
  it('backs up, erases SBL first, programs the rest, programs SBL last, reads back, resets', () => {
    const plan = buildFlashPlan(validated, options());
    const phases = plan.steps.map((step) => step.phase);
    // Phases never go backwards …
    const ranks = phases.map((phase) => flashPhases.indexOf(phase));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    // … and each is there, in this order.
    assert.deepEqual([...new Set(phases)], ['backup', 'erase-sbl', 'vendor', 'erase', 'program', 'program-sbl', 'verify', 'reset']);
    const firstErase = plan.steps.findIndex((step) => step.kind === 'erase');
    const firstWrite = plan.steps.findIndex((step) => step.kind === 'erase' || step.kind === 'program' || step.kind === 'vendor');
    assert.ok(plan.steps.slice(0, firstWrite).every((step) => step.kind === 'backup'), 'nothing is erased before every backup is taken');
    assert.equal(firstErase, firstWrite, 'the first write is an erase');
    const sblErase = plan.steps[firstErase] as EraseStep;
    assert.equal(sblErase.region.startSector, 0);
    assert.equal(sblErase.region.numSectors, 640);
    const programs = ofKind(plan, 'program');
    assert.equal(programs.length, EC25_PROGRAMS.length);
    assert.equal(programs.at(-1)?.source.path, 'update/sbl1.mbn');
    assert.equal(programs.at(-1)?.phase, 'program-sbl');
    assert.ok(programs.slice(0, -1).every((step) => step.region.startSector !== 0));
    const lastProgram = plan.steps.lastIndexOf(programs.at(-1) as ProgramStep);
    assert.ok(plan.steps.slice(firstErase, lastProgram).filter((step) => step.kind === 'erase').length === EC25_PROGRAMS.length, 'every partition is erased before the programs');
    assert.ok(plan.steps.findIndex((step) => step.kind === 'program') > plan.steps.findLastIndex((step) => step.kind === 'erase'), 'all erases come before the first program');
    assert.equal(ofKind(plan, 'verify').length, programs.length);
    assert.deepEqual(plan.steps.at(-1), { kind: 'power', phase: 'reset', description: 'reset (DelayInSeconds 10)', bytes: 0, value: 'reset', delayInSeconds: 10 });
    const vendor = ofKind(plan, 'vendor');
    assert.equal(vendor.length, 1);
    assert.equal(vendor[0]?.attributes.vendor, 'quectel');
  });

  it('carries the Firehose region attributes an executor sends as they are', () => {
    const plan = buildFlashPlan(validated, options());
    const modem = sectorsOf('0:modem');
    const program = ofKind(plan, 'program').find((step) => step.region.startSector === modem.start) ?? assert.fail();
    assert.deepEqual(program.region, {
      startSector: modem.start,
      numSectors: Math.ceil(1_200_000 / PAGE),
      sectorSize: 4096,
      pagesPerBlock: 64,
      physicalPartitionNumber: 0,
      label: 'modem',
      filename: '..\\NON-HLOS.ubi',
    });
    assert.deepEqual(program.source, { kind: 'package', path: 'update/NON-HLOS.ubi' });
    assert.equal(program.byteLength, 1_200_000);
    assert.equal(program.partition, 'modem');
    assert.equal(program.origin?.file, RAWPROGRAM);
    const tzErase = ofKind(plan, 'erase').find((step) => step.region.startSector === sectorsOf('0:TZ').start) ?? assert.fail();
    assert.deepEqual(tzErase.region, { startSector: sectorsOf('0:TZ').start, numSectors: sectorsOf('0:TZ').count, sectorSize: 4096, pagesPerBlock: 64, physicalPartitionNumber: 0 });
    const verify = ofKind(plan, 'verify').find((step) => step.region.startSector === modem.start) ?? assert.fail();
    assert.deepEqual(verify.region, { startSector: modem.start, numSectors: Math.ceil(1_200_000 / PAGE), sectorSize: 4096, pagesPerBlock: 64, physicalPartitionNumber: 0, extraAttributes: { bad_block_at_end: '1' } });
    assert.equal(verify.md5, program.md5);
    assert.equal(verify.paddedLength, Math.ceil(1_200_000 / PAGE) * PAGE);
    assert.equal(plan.configure.pagesPerBlock, 64);
    assert.equal(plan.programmer.path, 'update/firehose/prog_nand_firehose_9x07.mbn');
  });

  it('backs up efs2 (and sys_rev, rawdata) first, read twice, into a folder per IMEI', () => {
    const plan = buildFlashPlan(validated, options());
    const backups = ofKind(plan, 'backup');
    assert.deepEqual(backups.map((step) => step.partition), ['efs2', 'sys_rev', 'rawdata']);
    const efs2 = backups[0] as BackupStep;
    const directory = join(work, 'backups', `imei-${IMEI}`, '20261123T221530Z');
    assert.equal(plan.backup.directory, directory);
    assert.equal(efs2.file, join(directory, 'efs2.bin'));
    assert.equal(efs2.reads, 2);
    assert.equal(efs2.required, true);
    assert.deepEqual(efs2.region, { startSector: 1280, numSectors: 5632, sectorSize: 4096, pagesPerBlock: 64, physicalPartitionNumber: 0, extraAttributes: { bad_block_at_end: '1' } });
    const sysRev = backups[1] ?? assert.fail();
    assert.equal(sysRev.required, false);
    assert.match(sysRev.why, /UNVERIFIED/);
    assert.equal(plan.partitionTableSource, 'package');
    assert.ok(plan.notes.some((note) => note.code === 'TABLE_FROM_PACKAGE'));
  });

  it('adds up the bytes for progress and ETA', () => {
    const plan = buildFlashPlan(validated, options());
    const write = EC25_PROGRAMS.reduce((sum, program) => sum + Math.ceil(program.size / PAGE) * PAGE, 0);
    const backup = 2 * (0x1600000 + 0x500000 + 0x300000);
    assert.equal(plan.totals.writeBytes, write);
    assert.equal(plan.totals.backupBytes, backup);
    assert.equal(plan.totals.verifyBytes, write);
    assert.equal(plan.totals.readBytes, backup + write);
    assert.equal(plan.totals.bytes, backup + 2 * write);
    assert.equal(plan.totals.erases, EC25_PROGRAMS.length);
    assert.equal(plan.steps.reduce((sum, step) => sum + step.bytes, 0), plan.totals.bytes);
  });

  it('names the backup folder by the Sahara serial when the IMEI is unknown; refuses when neither is', () => {
    const bySerial = buildFlashPlan(validated, options({ unit: { serial: 0x0cf94c64 } }));
    assert.equal(bySerial.backup.directory, join(work, 'backups', 'serial-0cf94c64', '20261123T221530Z'));
    assert.equal(buildFlashPlan(validated, options({ unit: {}, backup: { directory: '/srv/b/unit7' } })).backup.directory, '/srv/b/unit7');
    assert.throws(() => buildFlashPlan(validated, options({ unit: {} })), (error: unknown) => codeOf(error) === 'PLAN_BACKUP_LOCATION');
  });

  it('sends DISK patch lines after SBL and before read-back, only if the programmer has <patch>', async () => {
    const files = ec25PackageFiles();
    const patch = 'update/firehose/patch_p4K_b256K.xml';
    setText(files, patch, text(files, patch).replace('</data>', '  <patch SECTOR_SIZE_IN_BYTES="4096" byte_offset="0" filename="DISK" physical_partition_number="0" size_in_bytes="4" start_sector="7" value="0" what="disk fix-up"/>\r\n</data>'));
    rebuildMd5(files);
    const withPatch = await validateFixture(files);
    try {
      assert.ok(withPatch.problems.some((entry) => entry.code === 'PATCH_ON_NAND'));
      const plan = buildFlashPlan(withPatch, options());
      assert.deepEqual([...new Set(plan.steps.map((step) => step.phase))], ['backup', 'erase-sbl', 'vendor', 'erase', 'program', 'program-sbl', 'patch', 'verify', 'reset']);
      const step = ofKind(plan, 'patch')[0] ?? assert.fail();
      assert.equal(step.requiresFunction, 'patch');
      assert.equal(step.attributes.start_sector, '7');
      assert.ok(plan.notes.some((note) => note.code === 'PATCH_NEEDS_FUNCTION'));
    } finally {
      await withPatch.package.close();
    }
  });

  it('leaves out read-back when asked, and says so', () => {
    const plan = buildFlashPlan(validated, options({ noVerify: true }));
    assert.equal(ofKind(plan, 'verify').length, 0);
    assert.equal(plan.steps.at(-1)?.kind, 'power');
    assert.ok(plan.notes.some((note) => note.code === 'NO_VERIFY'));
  });
});

describe('flash plan: where efs2 is', () => {
  it('prefers the module\'s own partition table', () => {
    const plan = buildFlashPlan(validated, options({ moduleTable: parseNandPartitionTable(buildMibib()) }));
    assert.equal(plan.partitionTableSource, 'module');
    assert.equal(ofKind(plan, 'backup')[0]?.region.startSector, 1280);
  });

  it('refuses a package that moves efs2 away from where the module has it', () => {
    const moved = EC25_PARTITIONS.map((partition) => (partition.name === '0:EFS2' ? { ...partition, length: 0x1500000 } : partition));
    assert.throws(() => buildFlashPlan(validated, options({ moduleTable: parseNandPartitionTable(buildMibib(moved)) })), (error: unknown) => codeOf(error) === 'PLAN_LAYOUT_CHANGE');
  });

  it('refuses a module table without efs2: nothing is erased without its backup', () => {
    const without = EC25_PARTITIONS.filter((partition) => partition.name !== '0:EFS2');
    assert.throws(() => buildFlashPlan(validated, options({ moduleTable: parseNandPartitionTable(buildMibib(without)) })), (error: unknown) => codeOf(error) === 'PLAN_PER_UNIT_PARTITION_NOT_FOUND');
  });

  it('refuses without any table, unless the sheet\'s reference layout is accepted', async () => {
    const files = ec25PackageFiles();
    files.set('update/firehose/partition_complete_p4K_b256K.mbn', new Uint8Array(4 * PAGE).fill(0xff));
    rebuildMd5(files);
    const noTable = await validateFixture(files);
    try {
      assert.equal(noTable.partitionTable, undefined);
      assert.ok(noTable.problems.some((entry) => entry.code === 'PARTITION_TABLE_UNREADABLE'));
      assert.throws(() => buildFlashPlan(noTable, options()), (error: unknown) => codeOf(error) === 'PLAN_PARTITION_TABLE_UNKNOWN');
      const plan = buildFlashPlan(noTable, options({ assumeReferenceLayout: true }));
      assert.equal(plan.partitionTableSource, 'reference');
      assert.deepEqual(ofKind(plan, 'backup').map((step) => [step.partition, step.region.startSector, step.region.numSectors]), [['efs2', 1280, 5632]]);
      assert.ok(plan.notes.some((note) => note.code === 'REFERENCE_LAYOUT_ASSUMED'));
    } finally {
      await noTable.package.close();
    }
  });
});

describe('flash plan: checks against the module as it is now', () => {
  it('refuses when the module was not read, or its geometry differs from the package\'s', async () => {
    const early = await validateFixture(ec25PackageFiles(), { moduleRevision: 'EC25EFAR06A01M4G' });
    try {
      assert.ok(early.problems.some((entry) => entry.code === 'GEOMETRY_NOT_CHECKED'));
      assert.throws(() => buildFlashPlan(early, options({ storage: {} })), (error: unknown) => codeOf(error) === 'PLAN_STORAGE_UNKNOWN');
      assert.throws(() => buildFlashPlan(early, options({ storage: { ...ec25Storage(), pageSize: 2048 } })), (error: unknown) => codeOf(error) === 'PLAN_PACKAGE_REFUSED' && /GEOMETRY_MISMATCH/.test((error as Error).message));
      assert.throws(() => buildFlashPlan(early, options({ storage: { ...ec25Storage(), totalPages: 65536 } })), (error: unknown) => codeOf(error) === 'PLAN_PACKAGE_REFUSED' && /REGION_BEYOND_DEVICE/.test((error as Error).message));
    } finally {
      await early.package.close();
    }
  });

  it('reads back across bad blocks the programmer skipped', () => {
    const modem = sectorsOf('0:modem');
    const firstBlock = modem.start / 64;
    const plan = buildFlashPlan(validated, options({ storage: ec25Storage([firstBlock + 1]) }));
    const verify = ofKind(plan, 'verify').find((step) => step.region.startSector === modem.start) as VerifyStep;
    const sectors = Math.ceil(1_200_000 / PAGE);
    assert.equal(verify.region.numSectors, sectors + 64);
    assert.equal(verify.paddedLength, sectors * PAGE);
    assert.equal(physicalSpan(0, 100, [1], 64), 164);
    assert.equal(physicalSpan(0, 100, [5], 64), 100);
    assert.equal(physicalSpan(32, 64, [1], 64), 128);
  });

  it('adds an erase for a program line no erase line covers (NAND is erased before it is programmed)', async () => {
    const files = ec25PackageFiles();
    const tz = sectorsOf('0:TZ');
    const sbl = sectorsOf('0:SBL');
    const lines = text(files, RAWPROGRAM).split('\r\n').filter((line) => !(line.includes('<erase ') && (line.includes(`start_sector="${tz.start}"`) || line.includes('start_sector="0"'))));
    setText(files, RAWPROGRAM, lines.join('\r\n'));
    rebuildMd5(files);
    const pkg = await validateFixture(files);
    try {
      const plan = buildFlashPlan(pkg, options());
      const added = ofKind(plan, 'erase').filter((step) => 'synthesized' in step.origin);
      assert.deepEqual(added.map((step) => [step.phase, step.region.startSector, step.region.numSectors]), [
        ['erase-sbl', sbl.start, 64],
        ['erase', tz.start, 128],
      ]);
      assert.equal(plan.steps.find((step) => step.kind === 'erase')?.region.startSector, 0);
      assert.equal(plan.notes.filter((note) => note.code === 'PROGRAM_NOT_ERASED').length, 2);
    } finally {
      await pkg.package.close();
    }
  });
});
