import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SaharaTarget, type ReceivedImage, type SaharaTargetOptions } from '../../../src/sim/edl/sahara-target.js';
import { DeviceOutput } from '../../helpers/device-output.js';
import { hex, helloResp, sahara, toHex, words } from '../../helpers/edl-bytes.js';
import { buildSyntheticElf, type SyntheticElf } from '../../helpers/synthetic-elf.js';

// edl sheet §1.3: HELLO from a real PBL — version 2, compatible 1, max packet 0x400, mode 0.
const HELLO_MODE_0 = '01000000 30000000 02000000 01000000 00040000 00000000' + ' 00000000'.repeat(6);
const RESET_RESP = '08000000 08000000';
const CMD_READY = '0b000000 08000000';

function endImageTx(status: number): string {
  return toHex(sahara(0x04, 0x0d, status));
}

interface Harness {
  readonly target: SaharaTarget;
  readonly out: DeviceOutput;
  readonly programmers: ReceivedImage[];
  readonly resets: number[];
}

function harness(options: Partial<SaharaTargetOptions> = {}): Harness {
  const out = new DeviceOutput();
  const programmers: ReceivedImage[] = [];
  const resets: number[] = [];
  const target = new SaharaTarget({
    send: out.send,
    onProgrammer: (image) => programmers.push(image),
    onReset: () => resets.push(Date.now()),
    ...options,
  });
  target.start();
  return { target, out, programmers, resets };
}

/**
 * Plays the host of §1.7: answers each READ_DATA with exactly the bytes asked for. Returns the
 * reads, then the packet that ended the walk as { offset: -command, length: its status word }.
 */
function serveImage(h: Harness, elf: SyntheticElf, chunkSize = Infinity): { offset: number; length: number }[] {
  const reads: { offset: number; length: number }[] = [];
  for (;;) {
    const writes = h.out.take();
    assert.equal(writes.length, 1, 'one packet per device write');
    const packet = writes[0] ?? new Uint8Array();
    const [command = 0, , imageId, offset = 0, length = 0] = words(packet);
    if (command !== 0x03) return reads.concat([{ offset: -command, length: words(packet)[3] ?? -1 }]);
    assert.equal(packet.length, 0x14);
    assert.equal(imageId, 13);
    reads.push({ offset, length });
    const data = elf.bytes.subarray(offset, offset + length);
    for (let at = 0; at < data.length; at += chunkSize) h.target.receive(data.subarray(at, at + chunkSize));
  }
}

describe('Sahara target: HELLO and HELLO_RESP', () => {
  it('says HELLO on start with the bytes of a real MDM9607 PBL', () => {
    const h = harness();
    assert.deepEqual(h.out.take().map(toHex), [toHex(hex(HELLO_MODE_0))]);
  });

  it('answers anything but HELLO_RESP or RESET with HELLO again, without a NAK', () => {
    const h = harness();
    h.out.take();
    h.target.receive(sahara(0x05)); // DONE
    h.target.receive(sahara(0x0d, 2)); // EXEC
    assert.deepEqual(h.out.take().map(toHex), [toHex(hex(HELLO_MODE_0)), toHex(hex(HELLO_MODE_0))]);
  });

  it('resynchronises on garbage while waiting for HELLO_RESP by saying HELLO again', () => {
    const h = harness();
    h.out.take();
    h.target.receive(hex('ffffffff ffffffff 00'));
    assert.deepEqual(h.out.take().map(toHex), [toHex(hex(HELLO_MODE_0))]);
    h.target.receive(helloResp());
    assert.equal(toHex(h.out.take()[0] ?? new Uint8Array()), toHex(sahara(0x03, 13, 0, 0x34)));
  });

  const rejections: [string, Uint8Array, number][] = [
    ['a HELLO_RESP of the wrong length → 0x05', sahara(0x02, 2, 1, 0, 0, 0, 0, 0, 0, 0), 0x05],
    ['a non-zero host status → echoed', helloResp(0, { status: 0x07 }), 0x07],
    ['a host status the target does not know → 0x15', helloResp(0, { status: 0x30 }), 0x15],
    ['version below its own compatible version → 0x04', helloResp(0, { version: 1, versionSupported: 2 }), 0x04],
    ['version 3 → 0x02 protocol mismatch', helloResp(0, { version: 3, versionSupported: 1 }), 0x02],
    ['mode 4 → 0x18 invalid host mode', helloResp(4), 0x18],
    ['memory debug (mode 2) → 0x1B not supported', helloResp(2), 0x1b],
    ['a 20-byte (protocol 1) HELLO_RESP claiming version 2 → 0x05', sahara(0x02, 2, 1, 0), 0x05],
  ];
  for (const [name, packet, status] of rejections) {
    it(`NAKs ${name} with END_IMAGE_TX and then accepts only RESET`, () => {
      const h = harness();
      h.out.take();
      h.target.receive(packet);
      assert.deepEqual(h.out.take().map(toHex), [endImageTx(status)]);
      h.target.receive(sahara(0x05)); // DONE is not RESET
      assert.deepEqual(h.out.take().map(toHex), [endImageTx(0x01)]);
      h.target.receive(sahara(0x07));
      assert.deepEqual(h.out.take().map(toHex), [toHex(hex(RESET_RESP))]);
      assert.equal(h.resets.length, 1);
      assert.equal(h.target.state, 'reset');
    });
  }

  it('accepts a 20-byte protocol-1 HELLO_RESP with version 1', () => {
    const h = harness();
    h.out.take();
    h.target.receive(sahara(0x02, 1, 1, 0));
    assert.equal(toHex(h.out.take()[0] ?? new Uint8Array()), toHex(sahara(0x03, 13, 0, 0x34)));
  });

  it('accepts RESET while waiting for HELLO_RESP', () => {
    const h = harness();
    h.out.take();
    h.target.receive(sahara(0x07));
    assert.deepEqual(h.out.take().map(toHex), [toHex(hex(RESET_RESP))]);
    assert.equal(h.resets.length, 1);
  });
});

describe('Sahara target: loading the programmer', () => {
  it('walks the ELF — header, program headers, hash segment, segments in ≤ 4 KiB chunks — then END_IMAGE_TX, DONE, DONE_RESP', () => {
    const elf = buildSyntheticElf({ loadSizes: [0x9d0, 0x2345] });
    const h = harness();
    h.out.take();
    h.target.receive(helloResp(0));
    const reads = serveImage(h, elf);
    assert.deepEqual(reads, [
      { offset: 0, length: 0x34 },
      { offset: 0x34, length: elf.phnum * 32 },
      { offset: 0x1000, length: 0x100 },
      { offset: 0x2000, length: 0x9d0 },
      { offset: 0x3000, length: 0x1000 },
      { offset: 0x4000, length: 0x1000 },
      { offset: 0x5000, length: 0x345 },
      { offset: -0x04, length: 0 }, // END_IMAGE_TX, status 0
    ]);
    h.target.receive(hex('05000000 08000000'));
    assert.deepEqual(h.out.take().map(toHex), ['060000000c00000000000000']);
    assert.equal(h.programmers.length, 1);
    const image = h.programmers[0];
    assert.ok(image !== undefined);
    assert.equal(image.imageId, 13);
    assert.equal(image.entry, 0x08008000);
    assert.deepEqual(image.bytes, elf.bytes);
    assert.equal(h.target.state, 'jumped');
  });

  it('sends END_IMAGE_TX(13, 0) with the exact bytes after the last segment', () => {
    const elf = buildSyntheticElf({ loadSizes: [0x40] });
    const h = harness();
    h.out.take();
    h.target.receive(helloResp(0));
    const out: Uint8Array[] = [];
    for (;;) {
      const packet = h.out.take()[0] ?? new Uint8Array();
      const [command, , , offset = 0, length = 0] = words(packet);
      if (command !== 0x03) {
        out.push(packet);
        break;
      }
      h.target.receive(elf.bytes.subarray(offset, offset + length));
    }
    assert.deepEqual(out.map(toHex), ['04000000100000000d00000000000000']);
  });

  it('works the same when the host bytes arrive one at a time (a tty has no packet boundaries)', () => {
    const elf = buildSyntheticElf();
    const h = harness();
    h.out.take();
    for (const byte of helloResp(0)) h.target.receive(Uint8Array.of(byte));
    const reads = serveImage(h, elf, 1);
    assert.equal(reads.at(-1)?.offset, -0x04);
    for (const byte of sahara(0x05)) h.target.receive(Uint8Array.of(byte));
    assert.deepEqual(h.programmers[0]?.bytes, elf.bytes);
  });

  it('DONE_RESP echoes the mode the host asked for (0 PENDING, 1 COMPLETE) unless a status is forced', () => {
    const elf = buildSyntheticElf({ loadSizes: [0x40] });
    for (const [mode, forced, status] of [[0, undefined, 0], [1, undefined, 1], [0, 1, 1]] as const) {
      const h = harness(forced === undefined ? {} : { doneRespStatus: forced });
      h.out.take();
      h.target.receive(helloResp(mode));
      serveImage(h, elf);
      h.target.receive(sahara(0x05));
      assert.deepEqual(h.out.take().map(toHex), [toHex(sahara(0x06, status))]);
    }
  });

  const badImages: [string, SyntheticElf, number][] = [
    ['an image that is not ELF', { ...buildSyntheticElf(), bytes: new Uint8Array(0x3000).fill(0x11) }, 0x14],
    ['a 64-bit ELF', buildSyntheticElf({ elfClass: 2 }), 0x14],
    ['wrong program-header size', buildSyntheticElf({ phentsize: 56 }), 0x0f],
    ['no program headers', buildSyntheticElf({ phnumOverride: 0 }), 0x0e],
    ['no hash segment', buildSyntheticElf({ withHash: false }), 0x23],
  ];
  for (const [name, elf, status] of badImages) {
    it(`refuses ${name} with END_IMAGE_TX status 0x${status.toString(16)}`, () => {
      const h = harness();
      h.out.take();
      h.target.receive(helloResp(0));
      const reads = serveImage(h, elf);
      assert.deepEqual(reads.at(-1), { offset: -0x04, length: status });
      assert.equal(h.target.state, 'wait-reset');
      assert.equal(h.programmers.length, 0);
    });
  }

  it('lets the simulator refuse a programmer it considers unsigned (0x25 image auth failure)', () => {
    const h = harness({ validateImage: () => 0x25 });
    h.out.take();
    h.target.receive(helloResp(0));
    assert.deepEqual(serveImage(h, buildSyntheticElf()).at(-1), { offset: -0x04, length: 0x25 });
  });

  it('DONE must be exactly 8 bytes, else 0x05; another command instead of DONE is 0x01', () => {
    const elf = buildSyntheticElf({ loadSizes: [0x40] });
    const long = harness();
    long.out.take();
    long.target.receive(helloResp(0));
    serveImage(long, elf);
    long.target.receive(sahara(0x05, 0));
    assert.deepEqual(long.out.take().map(toHex), [endImageTx(0x05)]);
    const other = harness();
    other.out.take();
    other.target.receive(helloResp(0));
    serveImage(other, elf);
    other.target.receive(sahara(0x07));
    assert.deepEqual(other.out.take().map(toHex), [endImageTx(0x01)]);
  });
});

describe('Sahara target: command mode', () => {
  function commandMode(): Harness {
    const h = harness();
    h.out.take();
    h.target.receive(helloResp(3));
    assert.deepEqual(h.out.take().map(toHex), [toHex(hex(CMD_READY))]);
    return h;
  }

  it('reads the MSM HW ID of an MDM9607 (0x0004A0E1) as 24 bytes, with the exchange seen on real devices', () => {
    const h = commandMode();
    h.target.receive(sahara(0x0d, 2));
    assert.deepEqual(h.out.take().map(toHex), [toHex(hex('0e000000 10000000 02000000 18000000'))]);
    h.target.receive(hex('0f000000 0c000000 02000000'));
    assert.deepEqual(h.out.take().map(toHex), ['00000000e1a00400'.repeat(3)]);
  });

  it('reads the serial number (4 bytes) and the PK hash (96 bytes, Qualcomm test root)', () => {
    const h = commandMode();
    h.target.receive(sahara(0x0d, 1));
    assert.deepEqual(h.out.take().map(toHex), [toHex(sahara(0x0e, 1, 4))]);
    h.target.receive(sahara(0x0f, 1));
    assert.deepEqual(h.out.take().map(toHex), ['25017c2c']);
    h.target.receive(sahara(0x0d, 3));
    assert.deepEqual(h.out.take().map(toHex), [toHex(sahara(0x0e, 3, 96))]);
    h.target.receive(sahara(0x0f, 3));
    assert.deepEqual(h.out.take().map(toHex), ['cc3153a80293939b90d02d3bf8b23e0292e452fef662c74998421adad42a380f'.repeat(3)]);
  });

  it('answers an unsupported client command with END_IMAGE_TX(13, 1), the bytes seen on a Quectel SC20', () => {
    const h = commandMode();
    h.target.receive(sahara(0x0d, 7));
    assert.deepEqual(h.out.take().map(toHex), [toHex(hex('04000000 10000000 0d000000 01000000'))]);
  });

  it('NAKs EXEC_DATA for another client command with 0x20', () => {
    const h = commandMode();
    h.target.receive(sahara(0x0d, 2));
    h.out.take();
    h.target.receive(sahara(0x0f, 3));
    assert.deepEqual(h.out.take().map(toHex), [endImageTx(0x20)]);
  });

  it('switches back with CMD_SWITCH_MODE: a fresh HELLO carrying the new mode, then a normal image load', () => {
    const h = commandMode();
    h.target.receive(sahara(0x0c, 0));
    assert.deepEqual(h.out.take().map(toHex), [toHex(hex(HELLO_MODE_0))]);
    h.target.receive(helloResp(0));
    serveImage(h, buildSyntheticElf({ loadSizes: [0x40] }));
    h.target.receive(sahara(0x05));
    assert.equal(h.programmers.length, 1);
  });

  it('HELLO carries mode 3 after a switch to command mode', () => {
    const h = commandMode();
    h.target.receive(sahara(0x0c, 3));
    const hello = h.out.take()[0] ?? new Uint8Array();
    assert.equal(words(hello)[5], 3);
  });

  it('RESET in command mode → RESET_RESP and the chip resets', () => {
    const h = commandMode();
    h.target.receive(sahara(0x07));
    assert.deepEqual(h.out.take().map(toHex), [toHex(hex(RESET_RESP))]);
    assert.equal(h.resets.length, 1);
    h.target.receive(sahara(0x0d, 2));
    assert.deepEqual(h.out.take(), []);
  });
});
