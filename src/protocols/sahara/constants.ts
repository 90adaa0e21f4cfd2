// Sahara's numbers, with the names of the fact sheet (edl-protocols.md §1.2, §1.4, §1.5; names
// from Qualcomm's boot_sahara.h and edl's sahara_defs.py). Each is an `as const` object with a
// union type of the same name.

/** Command ids (§1.2). The minimum protocol version is in the comment. */
export const SaharaCommand = {
  Hello: 0x01,
  HelloResponse: 0x02,
  ReadData: 0x03,
  EndImageTransfer: 0x04,
  Done: 0x05,
  DoneResponse: 0x06,
  Reset: 0x07,
  ResetResponse: 0x08,
  /** 2.0 */
  MemoryDebug: 0x09,
  /** 2.0 */
  MemoryRead: 0x0a,
  /** 2.1 */
  CommandReady: 0x0b,
  /** 2.1 */
  CommandSwitchMode: 0x0c,
  /** 2.1 */
  CommandExecute: 0x0d,
  /** 2.1 */
  CommandExecuteResponse: 0x0e,
  /** 2.1 */
  CommandExecuteData: 0x0f,
  /** 2.5 */
  MemoryDebug64: 0x10,
  /** 2.5 */
  MemoryRead64: 0x11,
  /** 2.8 — newer PBLs; a 9x07 PBL uses 32-bit ReadData (§1.3). */
  ReadData64: 0x12,
  /** 2.9 */
  ResetStateMachine: 0x13,
  /** 3.0 — listed by qdl, implemented by no one (§1.2). */
  WriteData: 0x14,
} as const;
export type SaharaCommand = (typeof SaharaCommand)[keyof typeof SaharaCommand];

/** The mode field of HELLO / HELLO_RESP / CMD_SWITCH_MODE (§1.4). */
export const SaharaMode = {
  ImageTransferPending: 0,
  ImageTransferComplete: 1,
  MemoryDebug: 2,
  Command: 3,
} as const;
export type SaharaMode = (typeof SaharaMode)[keyof typeof SaharaMode];

/** Command-mode client commands (§1.4). */
export const SaharaExecCommand = {
  Nop: 0x00,
  /** 4 bytes. */
  SerialNumberRead: 0x01,
  /** 8 bytes per copy; targets return 24 (three copies). Stops working on version 3 PBLs. */
  MsmHwIdRead: 0x02,
  /** 32 bytes per copy; 96 seen. */
  OemPkHashRead: 0x03,
  SwitchToDmssDload: 0x04,
  SwitchToStreamDload: 0x05,
  ReadDebugData: 0x06,
  GetSoftwareVersionSbl: 0x07,
  GetCommandIdList: 0x08,
  GetTrainingData: 0x09,
  /** Version 3 PBLs: ≥ 48 bytes, MSM_ID at +36 (§1.4). */
  ReadChipIdV3: 0x0a,
} as const;
export type SaharaExecCommand = (typeof SaharaExecCommand)[keyof typeof SaharaExecCommand];

/** END_IMAGE_TX status / HELLO_RESP status codes (§1.5). 0x26–0x28 are from edl only. */
export const SaharaStatus = {
  Success: 0x00,
  InvalidCommand: 0x01,
  ProtocolMismatch: 0x02,
  InvalidTargetProtocol: 0x03,
  InvalidHostProtocol: 0x04,
  InvalidPacketSize: 0x05,
  UnexpectedImageId: 0x06,
  InvalidHeaderSize: 0x07,
  InvalidDataSize: 0x08,
  InvalidImageType: 0x09,
  InvalidTxLength: 0x0a,
  InvalidRxLength: 0x0b,
  GeneralTxRxError: 0x0c,
  ReadDataError: 0x0d,
  UnsupportedProgramHeaderCount: 0x0e,
  InvalidProgramHeaderSize: 0x0f,
  MultipleSharedSegments: 0x10,
  UninitialisedProgramHeaderLocation: 0x11,
  InvalidDestinationAddress: 0x12,
  InvalidImageHeaderDataSize: 0x13,
  InvalidElfHeader: 0x14,
  UnknownHostError: 0x15,
  ReceiveTimeout: 0x16,
  TransmitTimeout: 0x17,
  InvalidHostMode: 0x18,
  InvalidMemoryRead: 0x19,
  InvalidDataSizeRequest: 0x1a,
  MemoryDebugNotSupported: 0x1b,
  InvalidModeSwitch: 0x1c,
  ExecFailure: 0x1d,
  ExecInvalidParameter: 0x1e,
  ExecCommandUnsupported: 0x1f,
  ExecDataInvalidClientCommand: 0x20,
  HashTableAuthFailure: 0x21,
  HashVerificationFailure: 0x22,
  HashTableNotFound: 0x23,
  TargetInitFailure: 0x24,
  ImageAuthFailure: 0x25,
  InvalidImageHashTableSize: 0x26,
  EnumerationFailure: 0x27,
  HardwareBulkTransferError: 0x28,
} as const;
export type SaharaStatus = (typeof SaharaStatus)[keyof typeof SaharaStatus];

function invert<T extends Readonly<Record<string, number>>>(table: T): ReadonlyMap<number, keyof T & string> {
  return new Map(Object.entries(table).map(([name, id]) => [id, name as keyof T & string]));
}

const commandNames = invert(SaharaCommand);
const statusNames = invert(SaharaStatus);

export function saharaCommandName(id: number): string {
  return commandNames.get(id) ?? `unknown command 0x${id.toString(16)}`;
}

export function saharaStatusName(status: number): string {
  return statusNames.get(status) ?? `unknown status 0x${status.toString(16)}`;
}

/** §1.1: the target's command buffer; every command packet fits in one 0x400-byte transfer. */
export const SAHARA_MAX_PACKET_SIZE = 0x400;
export const SAHARA_HEADER_SIZE = 8;
