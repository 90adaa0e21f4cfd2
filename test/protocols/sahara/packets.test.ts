import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SaharaCommand, SaharaStatus, saharaStatusName } from '../../../src/protocols/sahara/constants.js';
import { decodeSaharaPacket, encodeSaharaPacket, saharaPacketLayouts, saharaPacketLength, type SaharaPacketKind } from '../../../src/protocols/sahara/packets.js';
import { hex, toHex } from '../../helpers/scripted-peer.js';
import { HELLO, HELLO_RESP_IMAGE } from './target-bytes.js';

function decoded(bytes: Uint8Array): unknown {
  const result = decodeSaharaPacket(bytes);
  assert.ok(result.ok, `decodes ${toHex(bytes)}`);
  return result.packet;
}

describe('Sahara packets, byte for byte (edl-protocols.md §1.3)', () => {
  it('has the total length of every packet in the §1.3 table', () => {
    const expected: Record<SaharaPacketKind, number> = {
      hello: 0x30, helloResponse: 0x30, readData: 0x14, endImageTransfer: 0x10, done: 0x08, doneResponse: 0x0c,
      reset: 0x08, resetResponse: 0x08, memoryDebug: 0x10, memoryRead: 0x10, commandReady: 0x08, commandSwitchMode: 0x0c,
      commandExecute: 0x0c, commandExecuteResponse: 0x10, commandExecuteData: 0x0c, memoryDebug64: 0x18, memoryRead64: 0x18,
      readData64: 0x20, resetStateMachine: 0x08,
    };
    for (const kind of Object.keys(saharaPacketLayouts) as SaharaPacketKind[]) assert.equal(saharaPacketLength(kind), expected[kind], kind);
  });

  it('gives every command id of §1.2 but WRITE_DATA (implemented by no one) a layout', () => {
    const laidOut = new Set<number>(Object.values(saharaPacketLayouts).map((layout) => layout.command));
    const missing = Object.entries(SaharaCommand).filter(([, id]) => !laidOut.has(id)).map(([name]) => name);
    assert.deepEqual(missing, ['WriteData']);
  });

  it('decodes HELLO from a real target: version 2, supported 1, max packet 0x400, mode 0', () => {
    assert.deepEqual(decoded(HELLO), { kind: 'hello', version: 2, versionSupported: 1, maxCommandPacketLength: 0x400, mode: 0, reserved: [0, 0, 0, 0, 0, 0] });
  });

  it('decodes the 20-byte protocol-1 HELLO, the missing fields as zero', () => {
    assert.deepEqual(decoded(hex('01000000 14000000 01000000 01000000 00040000')), { kind: 'hello', version: 1, versionSupported: 1, maxCommandPacketLength: 0x400, mode: 0, reserved: [0, 0, 0, 0, 0, 0] });
  });

  it('encodes HELLO_RESP', () => {
    assert.equal(toHex(encodeSaharaPacket('helloResponse', { version: 2, versionSupported: 1, status: 0, mode: 0, reserved: [0, 0, 0, 0, 0, 0] })), toHex(HELLO_RESP_IMAGE));
  });

  it('decodes READ_DATA, READ_DATA_64, END_IMAGE_TX and DONE_RESP', () => {
    assert.deepEqual(decoded(hex('03000000 14000000 0d000000 00000000 34000000')), { kind: 'readData', imageId: 13, offset: 0, length: 0x34 });
    assert.deepEqual(decoded(hex('12000000 20000000 0d00000000000000 0010000000000000 0010000000000000')), { kind: 'readData64', imageId: 13n, offset: 0x1000n, length: 0x1000n });
    // The unsupported-EXEC answer of a Quectel SC20 (openpst/sahara#6).
    assert.deepEqual(decoded(hex('04000000 10000000 0d000000 01000000')), { kind: 'endImageTransfer', imageId: 13, status: 1 });
    assert.deepEqual(decoded(hex('06000000 0c000000 01000000')), { kind: 'doneResponse', imageTransferStatus: 1 });
  });

  it('encodes DONE, RESET and the command-mode packets; decodes RESET_RESP and EXEC_RESP', () => {
    assert.equal(toHex(encodeSaharaPacket('done', {})), '05 00 00 00 08 00 00 00');
    assert.equal(toHex(encodeSaharaPacket('reset', {})), '07 00 00 00 08 00 00 00');
    assert.equal(toHex(encodeSaharaPacket('commandSwitchMode', { mode: 0 })), '0c 00 00 00 0c 00 00 00 00 00 00 00');
    assert.equal(toHex(encodeSaharaPacket('commandExecute', { clientCommand: 2 })), '0d 00 00 00 0c 00 00 00 02 00 00 00');
    // HW-ID read seen in bkerler/edl#398, #732: EXEC_RESP(2, 0x18), host answers EXEC_DATA(2).
    assert.deepEqual(decoded(hex('0e000000 10000000 02000000 18000000')), { kind: 'commandExecuteResponse', clientCommand: 2, responseLength: 0x18 });
    assert.equal(toHex(encodeSaharaPacket('commandExecuteData', { clientCommand: 2 })), '0f 00 00 00 0c 00 00 00 02 00 00 00');
    assert.deepEqual(decoded(hex('08000000 08000000')), { kind: 'resetResponse' });
  });

  it('reports an unknown command and a packet shorter than its layout', () => {
    assert.deepEqual(decodeSaharaPacket(hex('99000000 08000000')), { ok: false, command: 0x99, length: 8, reason: 'unknown-command' });
    assert.deepEqual(decodeSaharaPacket(hex('03000000 10000000 0d000000 00000000')), { ok: false, command: 3, length: 16, reason: 'too-short' });
  });

  it('names the status codes of §1.5', () => {
    assert.equal(saharaStatusName(0x01), 'InvalidCommand');
    assert.equal(saharaStatusName(0x0e), 'UnsupportedProgramHeaderCount');
    assert.equal(saharaStatusName(0x21), 'HashTableAuthFailure');
    assert.equal(saharaStatusName(0x28), 'HardwareBulkTransferError');
    assert.equal(Object.keys(SaharaStatus).length, 0x29);
    assert.match(saharaStatusName(0x29), /unknown/);
  });
});
