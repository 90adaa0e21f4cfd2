import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makePackage, type PackageManifest } from '../../../src/sim/package/make-package.js';
import { tempDir } from '../../helpers/wait.js';

async function build(options: Parameters<typeof makePackage>[1]): Promise<{ manifest: PackageManifest; md5txt: string; remove: () => Promise<void> }> {
  const dir = await tempDir();
  const manifest = await makePackage(dir.path, { size: 'small', ...options });
  return { manifest, md5txt: await readFile(join(dir.path, 'md5.txt'), 'utf8'), remove: dir.remove };
}

describe('makePackage: determinism', () => {
  it('writes byte-identical packages for the same options and seed', async () => {
    const a = await build({ seed: 42 });
    const b = await build({ seed: 42 });
    try {
      assert.equal(a.md5txt, b.md5txt);
      assert.deepEqual(
        a.manifest.files.map((file) => [file.path, file.bytes, file.md5]),
        b.manifest.files.map((file) => [file.path, file.bytes, file.md5]),
      );
    } finally {
      await a.remove();
      await b.remove();
    }
  });

  it('writes different images for another seed or revision, with the same layout', async () => {
    const base = await build({ seed: 42 });
    const seeded = await build({ seed: 43 });
    const revised = await build({ seed: 42, revision: 'EC25AFAR05A05M4G' });
    try {
      const md5 = (manifest: PackageManifest, path: string): string | undefined => manifest.files.find((file) => file.path === path)?.md5;
      for (const other of [seeded, revised]) {
        assert.deepEqual(
          other.manifest.files.map((file) => [file.path, file.bytes]),
          base.manifest.files.map((file) => [file.path, file.bytes]),
        );
        for (const path of ['update/NON-HLOS.ubi', 'update/sbl1.mbn', 'update/firehose/prog_nand_firehose_9x07.mbn']) assert.notEqual(md5(other.manifest, path), md5(base.manifest, path), path);
      }
      // The flashing XML depends on geometry alone.
      const rawprogram = 'update/firehose/rawprogram_nand_p4K_b256K_update.xml';
      assert.equal(md5(seeded.manifest, rawprogram), md5(base.manifest, rawprogram));
    } finally {
      await Promise.all([base.remove(), seeded.remove(), revised.remove()]);
    }
  });
});
