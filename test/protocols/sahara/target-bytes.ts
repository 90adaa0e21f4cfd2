import { hex } from '../../helpers/scripted-peer.js';

// Device-side bytes for the scripted Sahara targets, written from edl-protocols.md §1.3 without
// the host's encoder (a shared bug would cancel out).

/** Little-endian u32 words → bytes. */
export function le32(...words: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 * words.length);
  const view = new DataView(out.buffer);
  words.forEach((word, i) => {
    view.setUint32(4 * i, word, true);
  });
  return out;
}

/** HELLO from a real target (SDM450 PBL, bkerler/edl#97; a 9x07 PBL says the same): version 2, supported 1, 0x400, mode 0. */
export const HELLO = hex('01000000 30000000 02000000 01000000 00040000 00000000' + ' 00000000'.repeat(6));

/** What the host must answer: version 2, compatible 1, status 0, mode 0, reserved zero (qdl's form, §1.7). */
export const HELLO_RESP_IMAGE = hex('02000000 30000000 02000000 01000000 00000000 00000000' + ' 00000000'.repeat(6));
export const HELLO_RESP_COMMAND = hex('02000000 30000000 02000000 01000000 00000000 03000000' + ' 00000000'.repeat(6));

export const DONE = hex('05000000 08000000');
export const RESET = hex('07000000 08000000');
export const RESET_RESP = hex('08000000 08000000');
export const CMD_READY = hex('0b000000 08000000');

export const readData = (imageId: number, offset: number, length: number): Uint8Array => le32(0x03, 0x14, imageId, offset, length);
export const endImageTx = (imageId: number, status: number): Uint8Array => le32(0x04, 0x10, imageId, status);
export const doneResp = (status: number): Uint8Array => le32(0x06, 0x0c, status);

export function readData64(imageId: number, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(0x20);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x12, true);
  view.setUint32(4, 0x20, true);
  view.setBigUint64(8, BigInt(imageId), true);
  view.setBigUint64(16, BigInt(offset), true);
  view.setBigUint64(24, BigInt(length), true);
  return out;
}
