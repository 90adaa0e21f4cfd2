import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { openPackage } from '../../../src/flash/package/open-package.js';
import { readPackageFile, readPackageHead } from '../../../src/flash/package/package-read.js';
import { ec25PackageFiles, REVISION, writePackageDir, writePackageZip } from '../../helpers/ec25-package.js';

// What the user may point `medic flash --package` at (quectel-ec25.md §2.2: QFirehose's -f takes
// the folder holding update/, and since 1.4.17 a .zip).

let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'medic-open-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

function codeOf(error: unknown): string | undefined {
  return isMedicError(error) ? error.code : undefined;
}

describe('openPackage', () => {
  it('opens the package folder, or the folder an unzip left it in, and lists files with sizes', async () => {
    const root = await writePackageDir(join(work, 'unzipped'), REVISION, ec25PackageFiles());
    for (const [location, names] of [[root, [REVISION]], [join(work, 'unzipped'), ['unzipped', REVISION]]] as const) {
      const pkg = await openPackage(location);
      try {
        assert.equal(pkg.kind, 'directory');
        assert.deepEqual(pkg.names, names);
        assert.equal(pkg.file('update/NON-HLOS.ubi')?.size, 1_200_000);
        assert.ok(pkg.files.some((file) => file.path === 'update/firehose/prog_nand_firehose_9x07.mbn'));
        assert.throws(() => pkg.open('update/none.bin'), (error: unknown) => codeOf(error) === 'PACKAGE_FILE_NOT_FOUND');
      } finally {
        await pkg.close();
      }
    }
  });

  it('says what is wrong with anything else', async () => {
    await assert.rejects(openPackage(join(work, 'nothing-here')), (error: unknown) => codeOf(error) === 'PACKAGE_NOT_FOUND');
    await mkdir(join(work, 'empty'));
    await assert.rejects(openPackage(join(work, 'empty')), (error: unknown) => codeOf(error) === 'PACKAGE_LAYOUT');
    const root = await writePackageDir(join(work, 'deep'), REVISION, ec25PackageFiles());
    await assert.rejects(openPackage(join(root, 'update')), (error: unknown) => codeOf(error) === 'PACKAGE_LAYOUT' && (error as Error).message.includes('update/ folder itself'));
    await writeFile(join(work, 'notes.zip'), 'this is not a zip file at all');
    await assert.rejects(openPackage(join(work, 'notes.zip')), (error: unknown) => codeOf(error) === 'PACKAGE_UNREADABLE');
    await writeFile(join(work, 'fw.7z'), '7z');
    await assert.rejects(openPackage(join(work, 'fw.7z')), (error: unknown) => codeOf(error) === 'PACKAGE_UNREADABLE' && /Unpack it/.test((error as { hint?: string }).hint ?? ''));
  });

  it('reads a file of many chunks byte for byte, whole or its head, from a folder and from a .zip, and stops when cancelled', async () => {
    // A folder's chunks are views into one buffer that the next read fills again: what keeps
    // them must copy, or every kept chunk would read as the file's last one.
    const files = ec25PackageFiles();
    const image = files.get('update/NON-HLOS.ubi');
    assert.ok(image !== undefined && image.length > 4 * 64 * 1024);
    const root = await writePackageDir(join(work, 'chunks'), REVISION, files);
    await writePackageZip(join(work, 'chunks.zip'), files, `${REVISION}/`);
    for (const location of [root, join(work, 'chunks.zip')]) {
      const pkg = await openPackage(location);
      try {
        assert.ok(Buffer.from(await readPackageFile(pkg, 'update/NON-HLOS.ubi')).equals(image), `${pkg.kind}: whole file`);
        assert.ok(Buffer.from(await readPackageHead(pkg, 'update/NON-HLOS.ubi', 200_000)).equals(image.subarray(0, 200_000)), `${pkg.kind}: head`);
        const controller = new AbortController();
        let chunks = 0;
        await assert.rejects((async () => {
          for await (const chunk of pkg.open('update/NON-HLOS.ubi', { signal: controller.signal })) {
            assert.ok(chunk.length > 0);
            chunks += 1;
            controller.abort();
          }
        })(), (error: unknown) => pkg.kind === 'zip' ? error instanceof Error : codeOf(error) === 'CANCELLED');
        assert.equal(chunks, 1, `${pkg.kind}: reading stopped at the cancel`);
      } finally {
        await pkg.close();
      }
    }
  });
});
