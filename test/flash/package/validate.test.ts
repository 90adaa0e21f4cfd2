import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { PackageInvalidError } from '../../../src/flash/package/errors.js';
import { openPackage } from '../../../src/flash/package/open-package.js';
import { findPartition } from '../../../src/flash/package/partition-table.js';
import type { PackageProblem } from '../../../src/flash/package/problems.js';
import { requireValidPackage, validatePackage, type PackageValidation, type ValidationContext } from '../../../src/flash/package/validate.js';
import {
  contentsXml,
  ec25PackageFiles,
  ec25Storage,
  md5Hex,
  pattern,
  REVISION,
  rebuildMd5,
  setText,
  text,
  writePackageDir,
  writePackageZip,
  type PackageFiles,
} from '../../helpers/ec25-package.js';
import { buildSyntheticElf } from '../../helpers/synthetic-elf.js';

const RAWPROGRAM = 'update/firehose/rawprogram_nand_p4K_b256K_update.xml';
const PROGRAMMER = 'update/firehose/prog_nand_firehose_9x07.mbn';
const GOOD_CONTEXT: ValidationContext = { moduleRevision: 'EC25EFAR06A03M4G_20.200.20.200', storage: ec25Storage() };

let work: string;
let counter = 0;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'medic-package-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function validateDir(files: PackageFiles, context: ValidationContext = GOOD_CONTEXT, name = REVISION): Promise<PackageValidation> {
  counter += 1;
  const root = await writePackageDir(join(work, `d${counter}`), name, files);
  const pkg = await openPackage(root);
  try {
    return await validatePackage(pkg, context);
  } finally {
    await pkg.close();
  }
}

function errorCodes(validation: PackageValidation): string[] {
  return validation.problems.filter((entry) => entry.severity === 'error').map((entry) => entry.code);
}

function find(validation: PackageValidation, code: string): PackageProblem {
  return validation.problems.find((entry) => entry.code === code) ?? assert.fail(`no ${code} in ${validation.problems.map((entry) => entry.code).join(', ')}`);
}

/** What every refusal must look like: not ok, the code, a hint, and no way on to a flash plan. */
function assertRefused(validation: PackageValidation, code: string): PackageProblem {
  assert.equal(validation.ok, false);
  assert.equal(validation.validated, undefined);
  assert.ok(errorCodes(validation).includes(code), `expected ${code}, got ${errorCodes(validation).join(', ')}`);
  const entry = find(validation, code);
  assert.ok(entry.hint.length > 20, 'a refusal says what to do next');
  assert.throws(() => requireValidPackage(validation), (error: unknown) => error instanceof PackageInvalidError && error.code === 'PACKAGE_INVALID' && error.message.includes(code));
  return entry;
}

describe('validatePackage: a good package (quectel-ec25.md §2.6)', () => {
  it('validates the package folder: files, sizes, MD5s, programmer, geometry, revision', async () => {
    const validation = await validateDir(ec25PackageFiles());
    assert.deepEqual(errorCodes(validation), []);
    const validated = requireValidPackage(validation);
    assert.equal(validated.revision.main, REVISION);
    assert.equal(validated.moduleRevision?.suffix, '20.200.20.200');
    assert.equal(validated.geometry.token, 'p4K_b256K');
    assert.equal(validated.geometry.pageSize, 4096);
    assert.equal(validated.programmer.path, PROGRAMMER);
    assert.equal(validated.images.length, 13);
    assert.equal(validated.vendor.length, 1);
    const sbl = validated.images.find((image) => image.program.startSector === 0) ?? assert.fail();
    assert.equal(sbl.entry.path, 'update/sbl1.mbn');
    assert.equal(sbl.sectors, Math.ceil(250_000 / 4096));
    assert.equal(sbl.capacitySectors, 640);
    assert.equal(sbl.md5, md5Hex(ec25PackageFiles().get('update/sbl1.mbn') ?? new Uint8Array()));
    const efs2 = validated.partitionTable === undefined ? undefined : findPartition(validated.partitionTable, 'efs2');
    assert.deepEqual([efs2?.startBlock, efs2?.blockCount], [20, 88]);
    assert.match(find(validation, 'MD5_COMPARED').message, /16 file\(s\) compared on all 32 hex digits/);
  });

  it('validates the same package as a .zip, with or without a top folder, without unpacking it', async () => {
    const files = ec25PackageFiles();
    const fromDir = requireValidPackage(await validateDir(files));
    for (const [zipName, prefix] of [[`${REVISION}.zip`, ''], ['download.zip', `${REVISION}/`]] as const) {
      const zipPath = join(work, zipName);
      await writePackageZip(zipPath, files, prefix);
      const pkg = await openPackage(zipPath);
      try {
        assert.equal(pkg.kind, 'zip');
        const validation = await validatePackage(pkg, GOOD_CONTEXT);
        assert.deepEqual(errorCodes(validation), [], zipName);
        const validated = requireValidPackage(validation);
        assert.equal(validated.revision.main, REVISION);
        assert.deepEqual(validated.images.map((image) => image.md5), fromDir.images.map((image) => image.md5));
        // Reading an image from the zip gives the bytes that went in.
        const chunks: Uint8Array[] = [];
        for await (const chunk of pkg.open('update/NON-HLOS.ubi')) chunks.push(chunk);
        assert.equal(md5Hex(Buffer.concat(chunks)), md5Hex(files.get('update/NON-HLOS.ubi') ?? new Uint8Array()));
      } finally {
        await pkg.close();
      }
    }
  });

  it('accepts a package without md5.txt with a warning (QFirehose skips the check then)', async () => {
    const validation = await validateDir(ec25PackageFiles({ withoutMd5: true }));
    assert.equal(validation.ok, true);
    assert.equal(find(validation, 'MD5_TXT_MISSING').severity, 'warning');
  });

  it('compares a 16-digit md5.txt entry on its prefix, like QFirehose, and says so', async () => {
    const files = ec25PackageFiles();
    setText(files, 'md5.txt', text(files, 'md5.txt').replace(/(sbl1\.mbn:[0-9a-f]{16})[0-9a-f]{16}/, '$1'));
    const validation = await validateDir(files);
    assert.equal(validation.ok, true);
    assert.equal(find(validation, 'MD5_PREFIX_ONLY').file, 'update/sbl1.mbn');
  });
});

describe('validatePackage: every bad package is refused before anything is written', () => {
  it('a file the rawprogram names is missing', async () => {
    const files = ec25PackageFiles();
    files.delete('update/NON-HLOS.ubi');
    const entry = assertRefused(await validateDir(files), 'FILE_MISSING');
    assert.equal(entry.file, RAWPROGRAM);
    assert.match(entry.message, /NON-HLOS\.ubi/);
  });

  it('an image differs from its md5.txt line (all 32 digits compared)', async () => {
    const files = ec25PackageFiles();
    const tz = files.get('update/tz.mbn') ?? assert.fail();
    // One flipped byte at the end, as a download cut short and padded would have it.
    tz[tz.length - 1] = (tz[tz.length - 1] ?? 0) ^ 0xff;
    const entry = assertRefused(await validateDir(files), 'MD5_MISMATCH');
    assert.equal(entry.file, 'update/tz.mbn');
    assert.equal(entry.details?.actual, md5Hex(tz));
  });

  it('the package is for another model', async () => {
    assertRefused(await validateDir(ec25PackageFiles(), { ...GOOD_CONTEXT, moduleRevision: 'EG25GFAR06A01M4G' }), 'MODEL_MISMATCH');
  });

  it('the package is for another region (first variant letter)', async () => {
    const entry = assertRefused(await validateDir(ec25PackageFiles(), { ...GOOD_CONTEXT, moduleRevision: 'EC25AFAR06A01M4G' }), 'REGION_MISMATCH');
    assert.match(entry.message, /UNVERIFIED/);
  });

  it('other variant letters are refused unless accepted explicitly (their meaning is UNVERIFIED)', async () => {
    const context = { ...GOOD_CONTEXT, moduleRevision: 'EC25EUXGAR06A01M4G' };
    assertRefused(await validateDir(ec25PackageFiles(), context), 'VARIANT_MISMATCH');
    const allowed = await validateDir(ec25PackageFiles(), { ...context, allowVariantChange: true });
    assert.equal(allowed.ok, true);
    assert.equal(find(allowed, 'VARIANT_MISMATCH').severity, 'warning');
  });

  it('the module\'s NAND has another geometry', async () => {
    const entry = assertRefused(await validateDir(ec25PackageFiles(), { ...GOOD_CONTEXT, storage: { ...ec25Storage(), pageSize: 2048 } }), 'GEOMETRY_MISMATCH');
    assert.match(entry.message, /4096-byte pages \(p4K_b256K\); the module reports 2048/);
  });

  it('the XML contradicts the geometry in the file name', async () => {
    const files = ec25PackageFiles();
    setText(files, RAWPROGRAM, text(files, RAWPROGRAM).replace('SECTOR_SIZE_IN_BYTES="4096" num_partition_sectors="320" physical_partition_number="0" start_sector="8960"', 'SECTOR_SIZE_IN_BYTES="2048" num_partition_sectors="320" physical_partition_number="0" start_sector="8960"'));
    rebuildMd5(files);
    assertRefused(await validateDir(files), 'GEOMETRY_INCONSISTENT');
  });

  it('a baseline change (R06 → R08, the forum\'s bricking cause) is refused, and allowed with the flag', async () => {
    const context = { ...GOOD_CONTEXT, moduleRevision: 'EC25EFAR08A02M4G' };
    const entry = assertRefused(await validateDir(ec25PackageFiles(), context), 'BASELINE_CHANGE');
    assert.match(entry.message, /R08 → R06/);
    const allowed = await validateDir(ec25PackageFiles(), { ...context, allowBaselineChange: true });
    assert.deepEqual(errorCodes(allowed), []);
    assert.equal(find(allowed, 'BASELINE_CHANGE_ALLOWED').severity, 'warning');
  });

  it('an unknown module revision is refused unless the user accepts it', async () => {
    assertRefused(await validateDir(ec25PackageFiles(), { storage: ec25Storage() }), 'MODULE_REVISION_UNKNOWN');
    const allowed = await validateDir(ec25PackageFiles(), { storage: ec25Storage(), allowUnknownModuleRevision: true });
    assert.equal(allowed.ok, true);
    assert.equal(find(allowed, 'MODULE_REVISION_UNCHECKED').severity, 'warning');
  });

  it('a package whose revision cannot be found, or that names two', async () => {
    const anonymous = ec25PackageFiles();
    setText(anonymous, 'contents.xml', contentsXml('unknown'));
    assertRefused(await validateDir(anonymous, GOOD_CONTEXT, 'firmware'), 'PACKAGE_REVISION_UNKNOWN');
    const renamed = ec25PackageFiles();
    setText(renamed, 'contents.xml', contentsXml('EC25EFAR06A02M4G'));
    const entry = assertRefused(await validateDir(renamed), 'PACKAGE_REVISION_CONFLICT');
    assert.match(entry.message, /EC25EFAR06A01M4G \(folder name/);
  });

  it('a truncated rawprogram XML', async () => {
    const files = ec25PackageFiles();
    const xml = text(files, RAWPROGRAM);
    setText(files, RAWPROGRAM, xml.slice(0, Math.floor(xml.length * 0.6)));
    rebuildMd5(files);
    const entry = assertRefused(await validateDir(files), 'XML_TRUNCATED');
    assert.equal(entry.file, RAWPROGRAM);
    assert.ok(entry.line !== undefined && entry.line > 3);
  });

  it('a program line pointing outside the package', async () => {
    const files = ec25PackageFiles();
    setText(files, RAWPROGRAM, text(files, RAWPROGRAM).replace('filename="..\\tz.mbn"', 'filename="..\\..\\..\\..\\etc\\shadow"'));
    rebuildMd5(files);
    const entry = assertRefused(await validateDir(files), 'PATH_TRAVERSAL');
    assert.equal(entry.file, RAWPROGRAM);
  });

  it('a symlink in the package folder pointing outside it', async () => {
    counter += 1;
    const root = await writePackageDir(join(work, `d${counter}`), REVISION, ec25PackageFiles());
    await writeFile(join(work, 'outside.bin'), 'secret');
    await symlink(join(work, 'outside.bin'), join(root, 'update', 'extra.bin'));
    const pkg = await openPackage(root);
    try {
      const entry = assertRefused(await validatePackage(pkg, GOOD_CONTEXT), 'PATH_TRAVERSAL');
      assert.equal(entry.file, 'update/extra.bin');
      assert.equal(pkg.file('update/extra.bin'), undefined);
    } finally {
      await pkg.close();
    }
  });

  it('a zip whose entries climb out of it (zip-slip) is not even opened', async () => {
    const zipPath = join(work, 'slip.zip');
    const files: PackageFiles = new Map([['update/firehose/x.xml', new Uint8Array([1])], ['zz/evil.bin', new Uint8Array([2])]]);
    await writePackageZip(zipPath, files);
    // yazl refuses to write such a name, so rename the entry in the finished archive.
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(zipPath);
    await writeFile(zipPath, Buffer.from(bytes.toString('latin1').replaceAll('zz/evil.bin', '../evil.bin'), 'latin1'));
    await assert.rejects(openPackage(zipPath), (error: unknown) => isMedicError(error) && error.code === 'PACKAGE_PATH_TRAVERSAL');
  });

  it('a programmer that is not a 32-bit ARM ELF', async () => {
    for (const bytes of [buildSyntheticElf({ elfClass: 2 }).bytes, pattern(5000, 9), new Uint8Array(20)]) {
      const files = ec25PackageFiles();
      files.set(PROGRAMMER, bytes);
      rebuildMd5(files);
      const entry = assertRefused(await validateDir(files), 'PROGRAMMER_NOT_ELF32_ARM');
      assert.equal(entry.file, PROGRAMMER);
    }
  });

  it('an image larger than its partition', async () => {
    const files = ec25PackageFiles();
    files.set('update/rpm.mbn', pattern(0x180000 + 1, 3));
    rebuildMd5(files);
    const entry = assertRefused(await validateDir(files), 'FILE_TOO_LARGE');
    assert.equal(entry.details?.capacityBytes, 0x180000);
  });

  it('an image that fits, but not once the programmer skips the bad blocks in its partition', async () => {
    const files = ec25PackageFiles();
    files.set('update/rpm.mbn', pattern(5 * 256 * 1024, 3)); // 5 of rpm's 6 blocks (145..150)
    rebuildMd5(files);
    assert.equal((await validateDir(files)).ok, true);
    assertRefused(await validateDir(files, { ...GOOD_CONTEXT, storage: ec25Storage([146, 148]) }), 'BAD_BLOCKS_OVERFLOW');
  });

  it('a package that erases the whole chip or writes efs2 (a factory package)', async () => {
    const whole = ec25PackageFiles();
    setText(whole, RAWPROGRAM, text(whole, RAWPROGRAM).replace('<data>', '<data>\r\n  <erase PAGES_PER_BLOCK="64" SECTOR_SIZE_IN_BYTES="4096" num_partition_sectors="4294967295" start_sector="0"/>'));
    rebuildMd5(whole);
    assertRefused(await validateDir(whole), 'WHOLE_CHIP_ERASE');
    const factory = ec25PackageFiles();
    factory.set('update/cefs.mbn', pattern(8192, 5));
    setText(factory, RAWPROGRAM, text(factory, RAWPROGRAM).replace('</data>', '  <program PAGES_PER_BLOCK="64" SECTOR_SIZE_IN_BYTES="4096" filename="..\\cefs.mbn" num_partition_sectors="5632" physical_partition_number="0" start_sector="1280"/>\r\n</data>'));
    rebuildMd5(factory);
    const entry = assertRefused(await validateDir(factory), 'WRITES_PER_UNIT_DATA');
    assert.match(entry.message, /efs2/);
  });

  it('lists every problem of a package at once, errors first', async () => {
    const files = ec25PackageFiles();
    files.delete('update/appsboot.mbn');
    const rpm = files.get('update/rpm.mbn') ?? assert.fail();
    rpm[0] = (rpm[0] ?? 0) ^ 1;
    files.set(PROGRAMMER, pattern(100, 1));
    const validation = await validateDir(files, { ...GOOD_CONTEXT, moduleRevision: 'EC25EFAR08A02M4G' });
    for (const code of ['FILE_MISSING', 'MD5_MISMATCH', 'PROGRAMMER_NOT_ELF32_ARM', 'BASELINE_CHANGE']) assert.ok(errorCodes(validation).includes(code), code);
    const severities = validation.problems.map((entry) => entry.severity);
    assert.deepEqual(severities, [...severities].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)));
  });
});
