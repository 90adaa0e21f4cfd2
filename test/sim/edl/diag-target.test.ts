import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagTarget, type DiagTargetOptions } from '../../../src/sim/edl/diag-target.js';
import { crc16X25, encodeHdlc } from '../../../src/sim/edl/hdlc.js';
import { DeviceOutput } from '../../helpers/device-output.js';
import { hex, toHex } from '../../helpers/edl-bytes.js';

// quectel sheet §2.4: the two DM-port frames recovery tools send.
const EDL_SWITCH = '4b65010054 0f7e';
const BUILD_ID_REQUEST = '7e7c93497e';

function diag(options: Partial<DiagTargetOptions> = {}): { target: DiagTarget; out: DeviceOutput; edl: number[] } {
  const out = new DeviceOutput();
  const edl: number[] = [];
  const target = new DiagTarget({ send: out.send, onEnterEdl: (request) => edl.push(request.reenumerateAfterMs), ...options });
  return { target, out, edl };
}

/** Unescapes a device frame and checks its CRC with a table-free X.25 CRC written here. */
function unframe(frame: Uint8Array): Uint8Array {
  assert.equal(frame.at(-1), 0x7e);
  const raw: number[] = [];
  for (let i = 0; i < frame.length - 1; i += 1) {
    const byte = frame[i] ?? 0;
    if (byte === 0x7d) {
      raw.push((frame[i + 1] ?? 0) ^ 0x20);
      i += 1;
    } else {
      raw.push(byte);
    }
  }
  const payload = raw.slice(0, -2);
  let crc = 0xffff;
  for (const byte of payload) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  crc ^= 0xffff;
  assert.equal((raw.at(-2) ?? 0) | ((raw.at(-1) ?? 0) << 8), crc, 'frame CRC');
  return Uint8Array.from(payload);
}

describe('HDLC framing', () => {
  it('reproduces the sheet vectors: CRC 0x0F54 for 4B 65 01 00, 0x4993 for 7C', () => {
    assert.equal(crc16X25(hex('4b650100')), 0x0f54);
    assert.equal(crc16X25(hex('7c')), 0x4993);
    assert.equal(toHex(encodeHdlc(hex('4b650100'))), toHex(hex(EDL_SWITCH)));
    assert.equal(toHex(encodeHdlc(hex('7c'))), '7c93497e');
  });

  it('escapes 0x7E and 0x7D inside a frame', () => {
    const frame = encodeHdlc(hex('017e7d02'));
    assert.equal(toHex(frame.subarray(0, 6)), '017d5e7d5d02');
    assert.deepEqual(unframe(frame), hex('017e7d02'));
  });
});

describe('DIAG target (DM port, normal mode)', () => {
  it('echoes the EDL switch request and asks the simulator to re-enumerate as 9008', () => {
    const d = diag();
    d.target.receive(hex(EDL_SWITCH));
    assert.deepEqual(d.out.take().map(toHex), [toHex(hex(EDL_SWITCH))]);
    assert.deepEqual(d.edl, [2000]);
    assert.ok(d.target.leavingForEdl);
    d.target.receive(hex(BUILD_ID_REQUEST));
    assert.deepEqual(d.out.take(), [], 'a module on its way to EDL answers nothing more');
  });

  it('takes the request split across reads and with a leading flag', () => {
    const d = diag({ reenumerateAfterMs: 1500 });
    d.target.receive(hex('7e4b65'));
    d.target.receive(hex('01'));
    d.target.receive(hex('00540f7e'));
    assert.deepEqual(d.out.take().map(toHex), [toHex(hex(EDL_SWITCH))]);
    assert.deepEqual(d.edl, [1500]);
  });

  it('answers the extended build-id request with the firmware build (layout UNVERIFIED)', () => {
    const d = diag({ build: { buildId: 'EC25EFAR06A06M4G', modelString: 'EC25', msmHwVersion: 0x7e, mobileModelId: 0x1234 } });
    d.target.receive(hex(BUILD_ID_REQUEST));
    const [frame] = d.out.take();
    assert.ok(frame !== undefined);
    const payload = Buffer.from(unframe(frame));
    assert.equal(payload[0], 0x7c);
    assert.equal(payload.readUInt32LE(4), 0x7e, 'an escaped 0x7E survives framing');
    assert.equal(payload.readUInt32LE(8), 0x1234);
    assert.equal(payload.subarray(12).toString('latin1'), 'EC25EFAR06A06M4G\0EC25\0');
    assert.deepEqual(d.edl, []);
  });

  it('ignores frames with a bad CRC, other commands and line noise', () => {
    const d = diag();
    d.target.receive(hex('4b650100ffff7e')); // wrong CRC
    d.target.receive(encodeHdlc(hex('00'))); // version request: no "bad command" reply in the sheet
    d.target.receive(Uint8Array.from({ length: 10000 }, (_, i) => i % 0x7e));
    d.target.receive(hex('7e7e7e'));
    assert.deepEqual(d.out.take(), []);
    assert.deepEqual(d.edl, []);
    d.target.receive(hex(`7e${EDL_SWITCH}`));
    assert.deepEqual(d.edl, [2000], 'still listening after the noise');
  });
});
