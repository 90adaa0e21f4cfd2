import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inspectImage } from '../../../src/sim/package/image-format.js';
import { makePackage } from '../../../src/sim/package/make-package.js';
import { auditPackage, readText, type Defect } from '../../helpers/package-audit.js';
import { tempDir } from '../../helpers/wait.js';

const EXPECT = { model: 'EC25', revision: 'EC25AFAR05A04M4G', geometry: 'p4K_b256K' } as const;
const RAWPROGRAM = 'update/firehose/rawprogram_nand_p4K_b256K_update.xml';

describe('makePackage: deliberately bad packages', () => {
  it('a good package has no defect', async () => {
    await using dir = await tempDir();
    await makePackage(dir.path, { size: 'small' });
    assert.deepEqual(await auditPackage(dir.path, EXPECT), []);
  });

  const cases: [string, Parameters<typeof makePackage>[1], Defect[]][] = [
    ['md5-mismatch', { corrupt: { kind: 'md5-mismatch' } }, [{ kind: 'md5-mismatch', file: 'update/sbl1.mbn' }]],
    ['md5-mismatch on a chosen file', { corrupt: { kind: 'md5-mismatch', file: 'contents.xml' } }, [{ kind: 'md5-mismatch', file: 'contents.xml' }]],
    ['md5-mismatch on the rawprogram', { corrupt: { kind: 'md5-mismatch', file: RAWPROGRAM } }, [{ kind: 'md5-mismatch', file: RAWPROGRAM }]],
    ['missing-file', { corrupt: { kind: 'missing-file' } }, [{ kind: 'missing-file', file: 'update/NON-HLOS.ubi' }]],
    ['missing-file md5.txt', { corrupt: { kind: 'missing-file', file: 'md5.txt' } }, [{ kind: 'missing-file', file: 'md5.txt' }]],
    ['truncated-xml', { corrupt: { kind: 'truncated-xml' } }, [{ kind: 'truncated-xml', file: RAWPROGRAM }]],
    ['truncated-xml of contents.xml', { corrupt: { kind: 'truncated-xml', file: 'contents.xml' } }, [{ kind: 'truncated-xml', file: 'contents.xml' }]],
    ['path-traversal', { corrupt: { kind: 'path-traversal' } }, [{ kind: 'path-traversal', file: '..\\..\\..\\NON-HLOS.ubi' }]],
    ['wrong-model', { corrupt: { kind: 'wrong-model' } }, [{ kind: 'wrong-model', file: 'contents.xml' }]],
    ['oversized-image', { corrupt: { kind: 'oversized-image' } }, [{ kind: 'oversized-image', file: 'update/rpm.mbn' }]],
    ['oversized-image of the boot image', { corrupt: { kind: 'oversized-image', file: 'update/mdm9607-perf-boot.img' } }, [{ kind: 'oversized-image', file: 'update/mdm9607-perf-boot.img' }]],
    ['not-elf-programmer', { corrupt: { kind: 'not-elf-programmer' } }, [{ kind: 'not-elf-programmer', file: 'update/firehose/prog_nand_firehose_9x07.mbn' }]],
  ];
  for (const [name, options, defects] of cases) {
    it(`${name}: exactly that defect, and the manifest says so`, async () => {
      await using dir = await tempDir();
      const manifest = await makePackage(dir.path, { size: 'small', ...options });
      assert.deepEqual(await auditPackage(dir.path, EXPECT), defects);
      assert.equal(manifest.corrupt?.kind, options?.corrupt?.kind);
      assert.ok((manifest.corrupt?.detail.length ?? 0) > 0);
    });
  }

  it('md5-mismatch damages the file itself, as a bad download would', async () => {
    await using dir = await tempDir();
    await makePackage(dir.path, { size: 'small', corrupt: { kind: 'md5-mismatch' } });
    const result = inspectImage(await readFile(join(dir.path, 'update/sbl1.mbn')));
    assert.equal(result.valid ? 'valid' : result.reason, 'checksum-mismatch');
  });

  it('truncated-xml cuts inside an element, not at a line end', async () => {
    await using dir = await tempDir();
    await makePackage(dir.path, { size: 'small', corrupt: { kind: 'truncated-xml' } });
    const text = (await readText(dir.path, RAWPROGRAM)) ?? '';
    assert.match(text.split('\n').at(-1) ?? '', /^\s*<program [^>]*$/);
  });

  it('wrong-model is a consistent package for the other module, images included', async () => {
    await using dir = await tempDir();
    const manifest = await makePackage(dir.path, { size: 'small', corrupt: { kind: 'wrong-model' } });
    assert.deepEqual(manifest.declared, { model: 'EG25', revision: 'EG25GGBR07A08M2G' });
    assert.deepEqual(await auditPackage(dir.path, { ...EXPECT, model: 'EG25', revision: 'EG25GGBR07A08M2G' }), []);
    const modem = inspectImage(await readFile(join(dir.path, 'update/NON-HLOS.ubi')));
    assert.deepEqual([modem.valid, modem.model, modem.revision], [true, 'EG25', 'EG25GGBR07A08M2G']);
  });

  it('refuses a kind it does not know, a file the kind cannot damage, and a file where none is taken', async () => {
    await using dir = await tempDir();
    const bad = [
      { kind: 'flipped-bits' as never },
      { kind: 'truncated-xml' as const, file: 'update/sbl1.mbn' },
      { kind: 'oversized-image' as const, file: 'update/ENPRG9x07.mbn' },
      { kind: 'missing-file' as const, file: '../etc/passwd' },
      { kind: 'wrong-model' as const, file: 'contents.xml' },
    ];
    for (const corrupt of bad) {
      await assert.rejects(makePackage(dir.path, { size: 'small', corrupt }), (error: unknown) => (error as { code?: string }).code === 'USAGE', JSON.stringify(corrupt));
    }
  });
});
