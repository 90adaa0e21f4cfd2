import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ImageVerifier } from '../../../src/sim/package/image-format.js';
import { makePackage } from '../../../src/sim/package/make-package.js';
import { auditPackage } from '../../helpers/package-audit.js';
import { tempDir } from '../../helpers/wait.js';

const MB = 1e6;

describe('makePackage: full size', () => {
  it('writes ~90 MB of real-sized images while the process grows by far less', async () => {
    await using dir = await tempDir();
    const before = process.memoryUsage().rss;
    let peak = before;
    const manifest = await makePackage(dir.path, {
      size: 'full',
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    assert.ok(manifest.imageBytes > 85 * MB && manifest.imageBytes < 100 * MB, `${manifest.imageBytes} bytes of images`);
    const growth = peak - before;
    assert.ok(growth < 40 * MB, `rss grew by ${(growth / MB).toFixed(1)} MB for a ${(manifest.totalBytes / MB).toFixed(0)} MB package`);
    const size = (path: string): number => manifest.files.find((file) => file.path === path)?.bytes ?? 0;
    assert.ok(size('update/NON-HLOS.ubi') > 30 * MB);
    assert.ok(size('update/firehose/prog_nand_firehose_9x07.mbn') > 200_000, 'a programmer of a few hundred KB, like the real ~270 KB one');
    assert.deepEqual(await auditPackage(dir.path, { model: 'EC25', revision: 'EC25AFAR05A04M4G', geometry: 'p4K_b256K' }), [], 'every image fits its partition, md5s match');

    // The simulator can check a big image page by page without holding it.
    const verifier = new ImageVerifier();
    const file = await open(join(dir.path, 'update/NON-HLOS.ubi'), 'r');
    try {
      const page = new Uint8Array(4096);
      for (;;) {
        const { bytesRead } = await file.read(page, 0, page.length, null);
        if (bytesRead === 0) break;
        verifier.update(page.subarray(0, bytesRead));
      }
    } finally {
      await file.close();
    }
    const result = verifier.result();
    assert.deepEqual([result.valid, result.image], [true, 'NON-HLOS.ubi']);
  });

  it('fits the p2K_b128K partitions too (the same bytes in 128 KiB blocks), images at full size', async () => {
    await using dir = await tempDir();
    const manifest = await makePackage(dir.path, { size: 'full', geometry: 'p2K_b128K' });
    assert.ok(manifest.imageBytes > 85 * MB && manifest.imageBytes < 100 * MB, `${manifest.imageBytes} bytes of images`);
    assert.deepEqual(await auditPackage(dir.path, { model: 'EC25', revision: 'EC25AFAR05A04M4G', geometry: 'p2K_b128K' }), []);
  });
});
