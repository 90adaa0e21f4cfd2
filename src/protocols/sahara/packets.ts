import { SAHARA_HEADER_SIZE, SaharaCommand } from './constants.js';
import { readStruct, structSize, u32, u32Array, u64, writeStruct, type StructFields, type StructValue } from './struct.js';

// Every Sahara packet, declared once (edl-protocols.md §1.3): an 8-byte header (command, length —
// the length counts the whole packet) and a table of little-endian fields. Encoders, decoders and
// the `SaharaPacket` union type all come from this table.

interface PacketLayout {
  readonly command: SaharaCommand;
  readonly fields: StructFields;
  /**
   * Shortest length accepted on decode. HELLO and HELLO_RESP have a 20-byte protocol-1 form
   * carrying only the first three fields (§1.3); the rest then read as zero.
   */
  readonly minLength?: number;
}

const reserved = u32Array(6);

export const saharaPacketLayouts = {
  hello: {
    command: SaharaCommand.Hello,
    fields: { version: u32, versionSupported: u32, maxCommandPacketLength: u32, mode: u32, reserved },
    minLength: 0x14,
  },
  helloResponse: {
    command: SaharaCommand.HelloResponse,
    fields: { version: u32, versionSupported: u32, status: u32, mode: u32, reserved },
    minLength: 0x14,
  },
  readData: { command: SaharaCommand.ReadData, fields: { imageId: u32, offset: u32, length: u32 } },
  endImageTransfer: { command: SaharaCommand.EndImageTransfer, fields: { imageId: u32, status: u32 } },
  done: { command: SaharaCommand.Done, fields: {} },
  /** image_tx_status: 0 PENDING, 1 COMPLETE. */
  doneResponse: { command: SaharaCommand.DoneResponse, fields: { imageTransferStatus: u32 } },
  reset: { command: SaharaCommand.Reset, fields: {} },
  resetResponse: { command: SaharaCommand.ResetResponse, fields: {} },
  memoryDebug: { command: SaharaCommand.MemoryDebug, fields: { tableAddress: u32, tableLength: u32 } },
  memoryRead: { command: SaharaCommand.MemoryRead, fields: { address: u32, length: u32 } },
  commandReady: { command: SaharaCommand.CommandReady, fields: {} },
  commandSwitchMode: { command: SaharaCommand.CommandSwitchMode, fields: { mode: u32 } },
  commandExecute: { command: SaharaCommand.CommandExecute, fields: { clientCommand: u32 } },
  commandExecuteResponse: { command: SaharaCommand.CommandExecuteResponse, fields: { clientCommand: u32, responseLength: u32 } },
  /** The target answers with `responseLength` raw, unframed bytes (§1.1). */
  commandExecuteData: { command: SaharaCommand.CommandExecuteData, fields: { clientCommand: u32 } },
  memoryDebug64: { command: SaharaCommand.MemoryDebug64, fields: { address: u64, length: u64 } },
  memoryRead64: { command: SaharaCommand.MemoryRead64, fields: { address: u64, length: u64 } },
  readData64: { command: SaharaCommand.ReadData64, fields: { imageId: u64, offset: u64, length: u64 } },
  resetStateMachine: { command: SaharaCommand.ResetStateMachine, fields: {} },
} as const satisfies Readonly<Record<string, PacketLayout>>;

export type SaharaPacketKind = keyof typeof saharaPacketLayouts;

export type SaharaPacketFields<K extends SaharaPacketKind> = StructValue<(typeof saharaPacketLayouts)[K]['fields']>;

/** A decoded packet: `kind` names the layout, the other properties are its fields. */
export type SaharaPacket = { [K in SaharaPacketKind]: { readonly kind: K } & SaharaPacketFields<K> }[SaharaPacketKind];

export type SaharaPacketOf<K extends SaharaPacketKind> = Extract<SaharaPacket, { readonly kind: K }>;

const layoutByCommand = new Map<number, [SaharaPacketKind, PacketLayout]>(
  (Object.entries(saharaPacketLayouts) as [SaharaPacketKind, PacketLayout][]).map(([kind, layout]) => [layout.command, [kind, layout]]),
);

/** The packet's full length: header plus fields. */
export function saharaPacketLength(kind: SaharaPacketKind): number {
  return SAHARA_HEADER_SIZE + structSize(saharaPacketLayouts[kind].fields);
}

export function encodeSaharaPacket<K extends SaharaPacketKind>(kind: K, fields: SaharaPacketFields<K>): Uint8Array {
  const layout: PacketLayout = saharaPacketLayouts[kind];
  const bytes = new Uint8Array(saharaPacketLength(kind));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, layout.command, true);
  view.setUint32(4, bytes.length, true);
  writeStruct(layout.fields, view, SAHARA_HEADER_SIZE, fields);
  return bytes;
}

export type SaharaDecodeResult =
  | { readonly ok: true; readonly packet: SaharaPacket }
  | { readonly ok: false; readonly command: number; readonly length: number; readonly reason: 'unknown-command' | 'too-short' };

/** Decodes one whole packet (`bytes.length` = its length field). Longer packets are accepted, extra bytes ignored. */
export function decodeSaharaPacket(bytes: Uint8Array): SaharaDecodeResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const command = view.getUint32(0, true);
  const length = bytes.length;
  const entry = layoutByCommand.get(command);
  if (entry === undefined) return { ok: false, command, length, reason: 'unknown-command' };
  const [kind, layout] = entry;
  const fullLength = SAHARA_HEADER_SIZE + structSize(layout.fields);
  if (length < (layout.minLength ?? fullLength)) return { ok: false, command, length, reason: 'too-short' };
  const fields = readStruct(layout.fields, view, SAHARA_HEADER_SIZE);
  return { ok: true, packet: { kind, ...fields } as SaharaPacket };
}
