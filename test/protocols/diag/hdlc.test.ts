import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { diagCrc16 } from '../../../src/protocols/diag/crc16.js';
import { encodeHdlcFrame, HdlcDecoder, type HdlcEvent } from '../../../src/protocols/diag/hdlc.js';
import { EDL_SWITCH_FRAME, EXTENDED_BUILD_ID_FRAME } from '../../../src/protocols/diag/commands.js';
import { concat, hex, toHex } from '../../helpers/scripted-peer.js';

function frames(events: readonly HdlcEvent[]): string[] {
  return events.flatMap((event) => (event.kind === 'frame' ? [toHex(event.payload)] : []));
}

describe('DIAG CRC-16 and HDLC framing (quectel-ec25.md §2.4)', () => {
  it('computes the CRC of the EDL-switch request: 4B 65 01 00 → 0x0F54', () => {
    assert.equal(diagCrc16(hex('4B650100')), 0x0f54);
    assert.equal(diagCrc16(hex('7C')), 0x4993);
  });

  it('encodes the EDL-switch frame QFirehose and fwupd send, byte for byte', () => {
    assert.equal(toHex(encodeHdlcFrame(hex('4B650100'))), '4b 65 01 00 54 0f 7e');
    assert.equal(toHex(EDL_SWITCH_FRAME), '4b 65 01 00 54 0f 7e');
  });

  it('encodes the extended build-id request with a leading flag: 7E 7C 93 49 7E', () => {
    assert.equal(toHex(EXTENDED_BUILD_ID_FRAME), '7e 7c 93 49 7e');
  });

  it('escapes 0x7E and 0x7D in the payload and the CRC', () => {
    const frame = encodeHdlcFrame(hex('7E017D02'));
    assert.equal(toHex(frame.subarray(0, 6)), '7d 5e 01 7d 5d 02');
    assert.equal(frame.at(-1), 0x7e);
    assert.equal(frame.subarray(0, -1).includes(0x7e), false, 'no flag inside the frame');
  });

  it('decodes a frame, ignoring the empty frame a leading flag makes', () => {
    const decoder = new HdlcDecoder();
    assert.deepEqual(frames(decoder.push(hex('7E 7C 93 49 7E'))), ['7c']);
  });

  it('decodes frames split across chunks and several frames in one chunk', () => {
    const decoder = new HdlcDecoder();
    const stream = concat(EDL_SWITCH_FRAME, encodeHdlcFrame(hex('7E7D00')), EDL_SWITCH_FRAME);
    const got: HdlcEvent[] = [];
    for (let at = 0; at < stream.length; at += 3) got.push(...decoder.push(stream.subarray(at, at + 3)));
    assert.deepEqual(frames(got), ['4b 65 01 00', '7e 7d 00', '4b 65 01 00']);
    assert.equal(decoder.pending, 0);
  });

  it('reports a bad CRC and recovers at the next flag', () => {
    const decoder = new HdlcDecoder();
    const events = decoder.push(concat(hex('4B 65 01 00 54 0E 7E'), EDL_SWITCH_FRAME));
    const first = events[0];
    assert.ok(first?.kind === 'bad-frame');
    assert.equal(first.reason, 'crc');
    assert.deepEqual(frames(events), ['4b 65 01 00']);
  });

  it('tolerates garbage: line noise before a frame, a runt, a broken escape, an endless flagless stream', () => {
    const decoder = new HdlcDecoder({ maxFrameLength: 64 });
    const reasons = (events: HdlcEvent[]): string[] => events.map((e) => (e.kind === 'frame' ? 'frame' : e.reason));
    assert.deepEqual(reasons(decoder.push(concat(hex('41 54 0D 0A 7E'), EDL_SWITCH_FRAME))), ['crc', 'frame']);
    assert.deepEqual(reasons(decoder.push(hex('01 7E'))), ['too-short']);
    assert.deepEqual(reasons(decoder.push(hex('4B 65 7D 7E'))), ['bad-escape']);
    assert.deepEqual(reasons(decoder.push(new Uint8Array(200).fill(0x41))), ['too-long']);
    assert.deepEqual(reasons(decoder.push(concat(hex('41 41 7E'), EDL_SWITCH_FRAME))), ['frame']);
  });

  it('round-trips any payload through encode and a chunked decode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 17 }), (payload, step) => {
        const encoded = encodeHdlcFrame(payload);
        const decoder = new HdlcDecoder();
        const events: HdlcEvent[] = [];
        for (let at = 0; at < encoded.length; at += step) events.push(...decoder.push(encoded.subarray(at, at + step)));
        assert.equal(events.length, 1);
        assert.deepEqual(events[0]?.kind === 'frame' ? [...events[0].payload] : undefined, [...payload]);
      }),
    );
  });
});
