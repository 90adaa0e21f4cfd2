import assert from 'node:assert/strict';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { makePackage } from '../../../src/sim/package/make-package.js';
import { tempDir } from '../../helpers/wait.js';

/** Every file under `dir`, as '/'-separated paths, sorted. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

// quectel sheet §2.6 (DEFC's EC25EFAR06A01M4G tree), less the release-notes PDF.
function expectedTree(geometry: string): string[] {
  return [
    'contents.xml',
    'md5.txt',
    'update/ENPRG9x07.mbn',
    'update/NON-HLOS.ubi',
    'update/NPRG9x07.mbn',
    'update/appsboot.mbn',
    `update/firehose/partition_complete_${geometry}.mbn`,
    `update/firehose/patch_${geometry}.xml`,
    'update/firehose/prog_nand_firehose_9x07.mbn',
    `update/firehose/rawprogram_nand_${geometry}_update.xml`,
    'update/mdm-perf-recovery-image-mdm9607-perf.ubi',
    'update/mdm9607-perf-boot.img',
    'update/mdm9607-perf-sysfs.ubi',
    'update/partition.mbn',
    'update/partition_nand.xml',
    'update/rpm.mbn',
    'update/sbl1.mbn',
    'update/tz.mbn',
  ].sort();
}

describe('makePackage: layout', () => {
  for (const geometry of ['p4K_b256K', 'p2K_b128K'] as const) {
    it(`writes the files of a real EC25 package, named for ${geometry}`, async () => {
      await using dir = await tempDir();
      const manifest = await makePackage(dir.path, { model: 'EC25', revision: 'EC25AFAR05A04M4G', geometry, size: 'small', seed: 7 });
      assert.deepEqual(await tree(dir.path), expectedTree(geometry));
      assert.deepEqual(manifest.files.map((file) => file.path).sort(), expectedTree(geometry));
      for (const file of manifest.files) {
        const info = await stat(join(dir.path, file.path));
        assert.equal(info.size, file.bytes, `${file.path}: manifest size`);
        assert.ok(info.size > 0, `${file.path} is empty`);
      }
      assert.equal(manifest.totalBytes, manifest.files.reduce((total, file) => total + file.bytes, 0));
    });
  }

  it('creates the directory, and refuses one that already holds files', async () => {
    await using dir = await tempDir();
    const target = join(dir.path, 'new', 'EC25AFAR05A04M4G');
    await makePackage(target, { size: 'small' });
    assert.ok((await readdir(target)).includes('md5.txt'));
    await assert.rejects(makePackage(target, { size: 'small' }), (error: unknown) => {
      assert.equal((error as { code?: string }).code, 'USAGE');
      assert.match((error as Error).message, /not empty/);
      return true;
    });
  });

  it('refuses a path that is a file, with a hint', async () => {
    await using dir = await tempDir();
    const file = join(dir.path, 'package.zip');
    await writeFile(file, 'not a directory');
    await assert.rejects(makePackage(file, { size: 'small' }), (error: unknown) => (error as { code?: string }).code === 'USAGE' && typeof (error as { hint?: string }).hint === 'string');
  });

  it('refuses a model, revision, geometry or size it does not know, before writing anything', async () => {
    await using dir = await tempDir();
    const bad = [
      { model: 'XX99' },
      { model: 'EG25' },
      { revision: 'EC25 firmware' },
      { revision: 'EG25GGBR07A08M2G' },
      { geometry: 'p8K_b512K' },
      { size: 'medium' },
      { seed: -1 },
      { subVersion: '1.1' },
    ];
    for (const options of bad) {
      await assert.rejects(makePackage(dir.path, { size: 'small', ...options }), (error: unknown) => (error as { code?: string }).code === 'USAGE', JSON.stringify(options));
    }
    assert.deepEqual(await readdir(dir.path), []);
  });

  it('leaves nothing behind when cancelled part-way', async () => {
    await using dir = await tempDir();
    const controller = new AbortController();
    await assert.rejects(
      makePackage(dir.path, {
        size: 'small',
        signal: controller.signal,
        onProgress: ({ path }) => {
          if (path === 'update/tz.mbn') controller.abort();
        },
      }),
      (error: unknown) => (error as { code?: string }).code === 'CANCELLED',
    );
    assert.deepEqual(await tree(dir.path), []);
    await makePackage(dir.path, { size: 'small' });
  });
});
