import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SaharaTarget, type ReceivedImage } from '../../../src/sim/edl/sahara-target.js';
import { inspectImage } from '../../../src/sim/package/image-format.js';
import { makePackage } from '../../../src/sim/package/make-package.js';
import { DeviceOutput } from '../../helpers/device-output.js';
import { helloResp, sahara, words } from '../../helpers/edl-bytes.js';
import { tempDir } from '../../helpers/wait.js';

const PROGRAMMER = 'update/firehose/prog_nand_firehose_9x07.mbn';

interface ElfView {
  readonly elfClass: number;
  readonly ehsize: number;
  readonly phentsize: number;
  readonly phoff: number;
  readonly phnum: number;
  readonly segments: { type: number; offset: number; filesz: number; flags: number }[];
}

/** The ELF32 fields the PBL looks at (edl sheet §1.6), read straight from the bytes. */
function readElf(bytes: Buffer): ElfView {
  const phoff = bytes.readUInt32LE(28);
  const phnum = bytes.readUInt16LE(44);
  const segments = Array.from({ length: phnum }, (_, index) => {
    const at = phoff + index * 32;
    return { type: bytes.readUInt32LE(at), offset: bytes.readUInt32LE(at + 4), filesz: bytes.readUInt32LE(at + 16), flags: bytes.readUInt32LE(at + 24) };
  });
  return { elfClass: bytes[4] ?? 0, ehsize: bytes.readUInt16LE(40), phentsize: bytes.readUInt16LE(42), phoff, phnum, segments };
}

/** Plays the host of edl sheet §1.7 against the simulator's PBL: HELLO_RESP, then every READ_DATA from the file. */
function loadThroughSahara(file: Buffer): { reads: [number, number][]; end: number[]; image: ReceivedImage | undefined } {
  const out = new DeviceOutput();
  let image: ReceivedImage | undefined;
  const target = new SaharaTarget({ send: out.send, onProgrammer: (received) => (image = received), onReset: () => undefined });
  target.start();
  out.take();
  target.receive(helloResp(0));
  const reads: [number, number][] = [];
  for (;;) {
    const packet = out.take()[0] ?? new Uint8Array();
    const fields = words(packet);
    if (fields[0] !== 0x03) {
      if (fields[0] === 0x04 && fields[3] === 0) {
        target.receive(sahara(0x05));
        out.take();
      }
      return { reads, end: fields, image };
    }
    const [, , , offset = 0, length = 0] = fields;
    reads.push([offset, length]);
    target.receive(file.subarray(offset, offset + length));
  }
}

describe('makePackage: the Firehose programmer', () => {
  for (const size of ['small', 'full'] as const) {
    it(`is a 32-bit ELF shaped like Qualcomm's (${size})`, async () => {
      await using dir = await tempDir();
      await makePackage(dir.path, { size });
      const bytes = await readFile(join(dir.path, PROGRAMMER));
      assert.deepEqual([...bytes.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46]);
      const elf = readElf(bytes);
      assert.equal(elf.elfClass, 1, 'ELFCLASS32');
      assert.equal(bytes[5], 1, 'little-endian');
      assert.equal(elf.ehsize, 52);
      assert.equal(elf.phentsize, 32);
      assert.equal(elf.phoff, 0x34);
      const hash = elf.segments.find((segment) => ((segment.flags >>> 24) & 7) === 2);
      assert.equal(hash?.offset, 0x1000, 'hash segment at 0x1000');
      const loads = elf.segments.filter((segment) => segment.type === 1);
      assert.ok(loads.length >= 1);
      assert.equal(loads[0]?.offset, 0x2000);
      const last = loads.at(-1);
      assert.equal((last?.offset ?? 0) + (last?.filesz ?? 0), bytes.length, 'the file ends with its last segment');
    });

    it(`loads through the simulator's Sahara target, whose copy is the whole valid image (${size})`, async () => {
      await using dir = await tempDir();
      await makePackage(dir.path, { size, revision: 'EC25AFAR05A04M4G' });
      const bytes = await readFile(join(dir.path, PROGRAMMER));
      const { reads, end, image } = loadThroughSahara(bytes);
      assert.deepEqual(end, [0x04, 0x10, 13, 0], 'END_IMAGE_TX(13, success)');
      assert.deepEqual(reads.slice(0, 3), [
        [0, 0x34],
        [0x34, readElf(bytes).phnum * 32],
        [0x1000, 0x1000],
      ]);
      assert.equal(reads[3]?.[0], 0x2000);
      assert.ok(reads.every(([, length]) => length <= 0x1000));
      assert.ok(image !== undefined, 'DONE_RESP: the PBL jumped to the programmer');
      assert.deepEqual(Buffer.from(image.bytes), bytes);
      const inspection = inspectImage(image.bytes);
      assert.equal(inspection.valid, true);
      assert.equal(inspection.image, 'prog_nand_firehose_9x07.mbn');
      assert.equal(inspection.revision, 'EC25AFAR05A04M4G');
    });
  }

  it('with not-elf-programmer, the Sahara target refuses it with END_IMAGE_TX 0x14 (invalid ELF header)', async () => {
    await using dir = await tempDir();
    await makePackage(dir.path, { size: 'small', corrupt: { kind: 'not-elf-programmer' } });
    const { end, image } = loadThroughSahara(await readFile(join(dir.path, PROGRAMMER)));
    assert.deepEqual(end, [0x04, 0x10, 13, 0x14]);
    assert.equal(image, undefined);
  });
});
