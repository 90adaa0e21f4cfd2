import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { isMedicError } from '../../../src/core/errors.js';
import { checkMd5s } from '../../../src/flash/package/check-md5.js';
import { md5OfPackageFile } from '../../../src/flash/package/md5-stream.js';
import { openPackage } from '../../../src/flash/package/open-package.js';
import type { FirmwarePackage } from '../../../src/flash/package/package-source.js';
import { ec25PackageFiles, REVISION, writePackageDir } from '../../helpers/ec25-package.js';
import { tempDir } from '../../helpers/wait.js';

// `medic flash --all` checks the package for the batch and again for every unit: the images are
// read and hashed once per opened package, not once per check.

let work: Awaited<ReturnType<typeof tempDir>>;
let root: string;
const files = ec25PackageFiles();

before(async () => {
  work = await tempDir();
  root = await writePackageDir(join(work.path, 'pkg'), REVISION, files);
});
after(async () => {
  await work.remove();
});

/** The package, counting how often each file is opened for reading. */
async function counted(): Promise<{ pkg: FirmwarePackage; opens: Map<string, number> }> {
  const real = await openPackage(root);
  const opens = new Map<string, number>();
  const pkg: FirmwarePackage = {
    ...real,
    open: (path, options) => {
      opens.set(path, (opens.get(path) ?? 0) + 1);
      return real.open(path, options);
    },
  };
  return { pkg, opens };
}

describe('package MD5s, once per opened package', () => {
  it('reads each image once however many checks ask, at the same time or later, and gives all the same hash', async () => {
    const { pkg, opens } = await counted();
    const expected = createHash('md5').update(files.get('update/NON-HLOS.ubi') ?? new Uint8Array()).digest('hex');
    const together = await Promise.all([1, 2, 3].map(() => md5OfPackageFile(pkg, 'update/NON-HLOS.ubi')));
    const later = await md5OfPackageFile(pkg, 'update/NON-HLOS.ubi');
    for (const result of [...together, later]) assert.equal(result.md5, expected);
    assert.equal(opens.get('update/NON-HLOS.ubi'), 1);
    // A whole md5.txt check, twice (the batch's, then a unit's): every file hashed once (md5.txt
    // itself, a few hundred bytes, is parsed by each check).
    const first = await checkMd5s({ pkg, paths: pkg.files.map((file) => file.path) });
    const second = await checkMd5s({ pkg, paths: pkg.files.map((file) => file.path) });
    assert.deepEqual([...second.md5s], [...first.md5s]);
    const again = [...opens].filter(([path, count]) => path !== 'md5.txt' && count > 1);
    assert.deepEqual(again, [], 'files read more than once');
    assert.ok(opens.size > 5, 'the check read the package');
  });

  it('forgets a read that was cancelled, so the next check reads the file again', async () => {
    const { pkg, opens } = await counted();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(md5OfPackageFile(pkg, 'update/NON-HLOS.ubi', { signal: controller.signal }), (error: unknown) => isMedicError(error) && error.code === 'CANCELLED');
    const again = await md5OfPackageFile(pkg, 'update/NON-HLOS.ubi');
    assert.equal(again.bytes, files.get('update/NON-HLOS.ubi')?.length);
    assert.equal(opens.get('update/NON-HLOS.ubi'), 2);
  });
});
