// Sahara packet layouts, declared once (edl sheet §1.3): every packet is `command`, `length`
// (whole packet, header included) and then u32 little-endian fields. The length of each packet
// follows from its field list: HELLO 0x30, READ_DATA 0x14, END_IMAGE_TX 0x10, DONE_RESP 0x0C …
import { SaharaCommand } from './sahara-protocol.js';

const RESERVED = ['reserved1', 'reserved2', 'reserved3', 'reserved4', 'reserved5', 'reserved6'] as const;

export const SAHARA_PACKETS = {
  Hello: { command: SaharaCommand.Hello, fields: ['version', 'versionSupported', 'cmdPacketLength', 'mode', ...RESERVED] },
  HelloResp: { command: SaharaCommand.HelloResp, fields: ['version', 'versionSupported', 'status', 'mode', ...RESERVED] },
  ReadData: { command: SaharaCommand.ReadData, fields: ['imageId', 'offset', 'length'] },
  EndImageTx: { command: SaharaCommand.EndImageTx, fields: ['imageId', 'status'] },
  Done: { command: SaharaCommand.Done, fields: [] },
  DoneResp: { command: SaharaCommand.DoneResp, fields: ['imageTxStatus'] },
  Reset: { command: SaharaCommand.Reset, fields: [] },
  ResetResp: { command: SaharaCommand.ResetResp, fields: [] },
  CmdReady: { command: SaharaCommand.CmdReady, fields: [] },
  CmdSwitchMode: { command: SaharaCommand.CmdSwitchMode, fields: ['mode'] },
  CmdExec: { command: SaharaCommand.CmdExec, fields: ['clientCommand'] },
  CmdExecResp: { command: SaharaCommand.CmdExecResp, fields: ['clientCommand', 'respLength'] },
  CmdExecData: { command: SaharaCommand.CmdExecData, fields: ['clientCommand'] },
} as const;

export type SaharaPacketKind = keyof typeof SAHARA_PACKETS;
export type SaharaFields<K extends SaharaPacketKind> = Record<(typeof SAHARA_PACKETS)[K]['fields'][number], number>;

export const HEADER_LENGTH = 8;

export function packetLength(kind: SaharaPacketKind): number {
  return HEADER_LENGTH + 4 * SAHARA_PACKETS[kind].fields.length;
}

/** Fields not given are 0 (the reserved words of a target's HELLO are all 0, §1.3). */
export function encodePacket<K extends SaharaPacketKind>(kind: K, values: Partial<SaharaFields<K>> = {}): Uint8Array {
  const layout = SAHARA_PACKETS[kind];
  const bytes = new Uint8Array(packetLength(kind));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, layout.command, true);
  view.setUint32(4, bytes.length, true);
  const given = values as Partial<Record<string, number>>;
  layout.fields.forEach((field: string, index: number) => {
    view.setUint32(HEADER_LENGTH + 4 * index, given[field] ?? 0, true);
  });
  return bytes;
}

/** Reads the fields of `kind` from a packet; words missing from a short packet read as 0. */
export function decodePacket<K extends SaharaPacketKind>(kind: K, packet: Uint8Array): SaharaFields<K> {
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const out: Record<string, number> = {};
  SAHARA_PACKETS[kind].fields.forEach((field: string, index: number) => {
    const at = HEADER_LENGTH + 4 * index;
    out[field] = at + 4 <= packet.length ? view.getUint32(at, true) : 0;
  });
  return out as SaharaFields<K>;
}

export interface SaharaHeader {
  readonly command: number;
  readonly length: number;
}

export function readHeader(bytes: Uint8Array): SaharaHeader | undefined {
  if (bytes.length < HEADER_LENGTH) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_LENGTH);
  return { command: view.getUint32(0, true), length: view.getUint32(4, true) };
}
