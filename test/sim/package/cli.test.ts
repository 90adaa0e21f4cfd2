import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runMakePackage, type PackageCliIo } from '../../../src/sim/package/cli.js';
import { auditPackage } from '../../helpers/package-audit.js';
import { tempDir } from '../../helpers/wait.js';

function captureIo(): PackageCliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    out: () => out,
    err: () => err,
  };
}

describe('medic sim make-package', () => {
  it('writes the package and prints its manifest as JSON on stdout with --json, progress on stderr', async () => {
    await using dir = await tempDir();
    const io = captureIo();
    const code = await runMakePackage([dir.path, '--size', 'small', '--geometry', 'p2K_b128K', '--revision', 'EC25AFAR05A05M4G', '--seed', '9', '--json'], io);
    assert.equal(code, 0);
    const lines = io.out().trim().split('\n');
    assert.equal(lines.length, 1, 'one JSON document');
    const result = JSON.parse(lines[0] ?? '') as { ok: boolean; package: { revision: string; geometry: string; seed: number; files: { path: string }[] } };
    assert.equal(result.ok, true);
    assert.deepEqual([result.package.revision, result.package.geometry, result.package.seed], ['EC25AFAR05A05M4G', 'p2K_b128K', 9]);
    assert.ok(result.package.files.some((file) => file.path === 'update/firehose/rawprogram_nand_p2K_b128K_update.xml'));
    assert.match(io.err(), /writing update\/NON-HLOS\.ubi/);
    assert.deepEqual(await auditPackage(dir.path, { model: 'EC25', revision: 'EC25AFAR05A05M4G', geometry: 'p2K_b128K' }), []);
  });

  it('prints a human summary on stdout without --json', async () => {
    await using dir = await tempDir();
    const io = captureIo();
    assert.equal(await runMakePackage([dir.path, '--size', 'small'], io), 0);
    assert.match(io.out(), /^EC25AFAR05A04M4G \(EC25, p4K_b256K, small, seed 1\) in .*: 18 files/);
    assert.match(io.out(), /update\/sbl1\.mbn +\d+ {2}[0-9a-f]{32}/);
  });

  it('makes a deliberately bad package with the hidden --corrupt flags', async () => {
    await using dir = await tempDir();
    const io = captureIo();
    assert.equal(await runMakePackage([dir.path, '--size', 'small', '--corrupt', 'missing-file', '--corrupt-file', 'update/tz.mbn'], io), 0);
    assert.match(io.out(), /deliberately broken \(missing-file\)/);
    assert.ok(!(await readdir(join(dir.path, 'update'))).includes('tz.mbn'));
  });

  it('throws a UsageError with a hint for bad command lines, writing nothing', async () => {
    await using dir = await tempDir();
    const bad = [
      [],
      [dir.path, 'extra'],
      [dir.path, '--size', 'huge'],
      [dir.path, '--geometry'],
      [dir.path, '--seed', 'abc'],
      [dir.path, '--frobnicate'],
      [dir.path, '--corrupt', 'gremlins'],
      [dir.path, '--corrupt-file', 'update/tz.mbn'],
    ];
    for (const args of bad) {
      const io = captureIo();
      await assert.rejects(runMakePackage(args, io), (error: unknown) => {
        const { code, hint } = error as { code?: string; hint?: string };
        return code === 'USAGE' && typeof hint === 'string' && hint.length > 0;
      }, args.join(' '));
      assert.equal(io.out(), '');
    }
    assert.deepEqual(await readdir(dir.path), []);
  });
});
