import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ImageVerifier, inspectImage, readImageDescriptor, type ImageInspection } from '../../../src/sim/package/image-format.js';
import { makePackage, type PackageManifest } from '../../../src/sim/package/make-package.js';
import { tempDir } from '../../helpers/wait.js';

function streamed(bytes: Uint8Array, chunk: number): ImageInspection {
  const verifier = new ImageVerifier();
  for (let at = 0; at < bytes.length; at += chunk) verifier.update(bytes.subarray(at, at + chunk));
  return verifier.result();
}

describe('image format: inspectImage', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let manifest: PackageManifest;
  const images = new Map<string, Buffer>();
  before(async () => {
    dir = await tempDir();
    manifest = await makePackage(dir.path, { model: 'EC25', revision: 'EC25AFAR05A04M4G', subVersion: '01.002.01.002', size: 'small', seed: 11 });
    for (const file of manifest.files) if (file.image !== undefined) images.set(file.path, await readFile(join(dir.path, file.path)));
  });
  after(() => dir.remove());

  const image = (path: string): Buffer => {
    const bytes = images.get(path);
    assert.ok(bytes !== undefined, path);
    return bytes;
  };

  it('accepts every image of the package and reads model, revision, its name and partition', () => {
    assert.equal(images.size, 13);
    for (const file of manifest.files) {
      if (file.image === undefined) continue;
      const result = inspectImage(image(file.path));
      assert.equal(result.valid, true, `${file.path}: ${result.valid ? '' : result.detail}`);
      assert.equal(result.model, 'EC25');
      assert.equal(result.revision, 'EC25AFAR05A04M4G');
      assert.equal(result.subVersion, '01.002.01.002');
      assert.equal(result.image, file.path.slice(file.path.lastIndexOf('/') + 1));
      assert.equal(result.partition, file.image.partitions[0] ?? '');
      assert.equal(result.length, file.bytes);
    }
  });

  it('tells which firmware the modem image holds', () => {
    const result = inspectImage(image('update/NON-HLOS.ubi'));
    assert.deepEqual([result.valid, result.image, result.revision], [true, 'NON-HLOS.ubi', 'EC25AFAR05A04M4G']);
  });

  it('ignores what follows the image (a NAND read returns whole pages, padded)', () => {
    const sbl = image('update/sbl1.mbn');
    const padded = Buffer.concat([sbl, Buffer.alloc(4096 - (sbl.length % 4096), 0xff)]);
    assert.equal(inspectImage(padded).valid, true);
  });

  it('rejects garbage, an erased region, a truncated image and a flipped byte, saying which', () => {
    const sbl = image('update/sbl1.mbn');
    const modem = image('update/NON-HLOS.ubi');
    const flipped = (bytes: Buffer, at: number): Buffer => {
      const copy = Buffer.from(bytes);
      copy[at] = (copy[at] ?? 0) ^ 0x01;
      return copy;
    };
    const cases: [string, Uint8Array, string][] = [
      ['random garbage', Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 131 + 7) & 0xff)), 'no-descriptor'],
      ['zeros', Buffer.alloc(20000), 'no-descriptor'],
      ['an erased partition', Buffer.alloc(8192, 0xff), 'erased'],
      ['an empty read', new Uint8Array(), 'truncated'],
      ['the modem image cut short', modem.subarray(0, modem.length - 4096), 'truncated'],
      ['sbl1 cut inside its header', sbl.subarray(0, 0x800), 'truncated'],
      ['a flipped bit in the body', flipped(modem, modem.length - 10), 'checksum-mismatch'],
      ['a flipped bit in the ELF header', flipped(sbl, 0x18), 'checksum-mismatch'],
      ['a flipped bit in the revision', flipped(modem, 0x80), 'checksum-mismatch'],
      ['a flipped bit in the digest', flipped(modem, 0x10), 'checksum-mismatch'],
      ['a write that stopped part-way (rest erased)', Buffer.concat([modem.subarray(0, 0x8000), Buffer.alloc(modem.length - 0x8000, 0xff)]), 'checksum-mismatch'],
      ['a damaged magic', flipped(modem, 0), 'no-descriptor'],
    ];
    for (const [name, bytes, reason] of cases) {
      const result = inspectImage(bytes);
      assert.equal(result.valid ? 'valid' : result.reason, reason, `${name}: ${result.valid ? '' : result.detail}`);
    }
  });

  it('still says what a corrupt image was meant to be', () => {
    const modem = Buffer.from(image('update/NON-HLOS.ubi'));
    modem[modem.length - 1] = (modem[modem.length - 1] ?? 0) ^ 0xff;
    const result = inspectImage(modem);
    assert.deepEqual([result.valid, result.image, result.revision], [false, 'NON-HLOS.ubi', 'EC25AFAR05A04M4G']);
  });

  it('gives the same verdicts streamed in any slices, one byte at a time included', () => {
    const sbl = image('update/sbl1.mbn');
    for (const chunk of [1, 7, 512, 4096, 1 << 20]) {
      assert.equal(streamed(sbl, chunk).valid, true, `chunk ${chunk}`);
      assert.equal(streamed(sbl.subarray(0, sbl.length - 1), chunk).valid, false);
    }
    const mibib = image('update/firehose/partition_complete_p4K_b256K.mbn');
    assert.equal(streamed(mibib, 3).valid, true);
    const broken = Buffer.from(mibib);
    broken[5000] = (broken[5000] ?? 0) ^ 0x40;
    const result = streamed(broken, 100);
    assert.equal(result.valid ? 'valid' : result.reason, 'checksum-mismatch');
    const verifier = new ImageVerifier();
    verifier.update(sbl);
    assert.equal(verifier.result().valid, true);
    assert.equal(verifier.result().valid, true, 'asking twice gives the same answer');
  });

  it('reads the descriptor from a prefix and says how much more it needs', () => {
    const sbl = image('update/sbl1.mbn');
    assert.deepEqual(readImageDescriptor(sbl.subarray(0, 4)), { status: 'need-more', bytes: 8 });
    const more = readImageDescriptor(sbl.subarray(0, 64));
    const bytes = more.status === 'need-more' ? more.bytes : 0;
    assert.ok(bytes > 0x1000, 'an ELF keeps it in the hash segment');
    const found = readImageDescriptor(sbl.subarray(0, bytes));
    assert.deepEqual(found.status === 'found' ? [found.container, found.descriptor.image, found.descriptor.length] : found, ['elf', 'sbl1.mbn', sbl.length]);
    const plain = readImageDescriptor(image('update/NON-HLOS.ubi').subarray(0, 256));
    assert.equal(plain.status === 'found' ? plain.descriptor.revision : plain.status, 'EC25AFAR05A04M4G');
    assert.equal(readImageDescriptor(Buffer.alloc(8192, 0xff)).status, 'invalid');
  });
});
