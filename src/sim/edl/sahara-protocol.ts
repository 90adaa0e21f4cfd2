// Sahara constants as the target (PBL) knows them: edl sheet §1.2 (commands), §1.4 (modes, client
// commands), §1.5 (status codes, enum names from QC-SAHARA boot_sahara.h).

export const SaharaCommand = {
  Hello: 0x01,
  HelloResp: 0x02,
  ReadData: 0x03,
  EndImageTx: 0x04,
  Done: 0x05,
  DoneResp: 0x06,
  Reset: 0x07,
  ResetResp: 0x08,
  MemoryDebug: 0x09,
  MemoryRead: 0x0a,
  CmdReady: 0x0b,
  CmdSwitchMode: 0x0c,
  CmdExec: 0x0d,
  CmdExecResp: 0x0e,
  CmdExecData: 0x0f,
  MemoryDebug64: 0x10,
  MemoryRead64: 0x11,
  ReadData64: 0x12,
  ResetStateMachine: 0x13,
} as const;
export type SaharaCommandId = (typeof SaharaCommand)[keyof typeof SaharaCommand];

export const SaharaMode = {
  ImageTxPending: 0,
  ImageTxComplete: 1,
  MemoryDebug: 2,
  Command: 3,
} as const;
export type SaharaModeId = (typeof SaharaMode)[keyof typeof SaharaMode];

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
  UnsupportedNumPhdrs: 0x0e,
  InvalidPhdrSize: 0x0f,
  MultipleSharedSeg: 0x10,
  UninitPhdrLoc: 0x11,
  InvalidDestAddr: 0x12,
  InvalidImgHdrDataSize: 0x13,
  InvalidElfHdr: 0x14,
  UnknownHostError: 0x15,
  Timeout: 0x16,
  TimeoutTx: 0x17,
  InvalidHostMode: 0x18,
  InvalidMemoryRead: 0x19,
  InvalidDataSizeRequest: 0x1a,
  MemoryDebugNotSupported: 0x1b,
  InvalidModeSwitch: 0x1c,
  ExecFailure: 0x1d,
  ExecInvalidParam: 0x1e,
  ExecCmdUnsupported: 0x1f,
  ExecDataInvalidClientCmd: 0x20,
  HashTableAuthFailure: 0x21,
  HashVerificationFailure: 0x22,
  HashTableNotFound: 0x23,
  TargetInitFailure: 0x24,
  ImageAuthFailure: 0x25,
} as const;
export type SaharaStatusCode = (typeof SaharaStatus)[keyof typeof SaharaStatus];

/** The last code the boot.bf target's enum knows; a host status beyond it is echoed as 0x15 (§1.6). */
export const TARGET_LAST_KNOWN_STATUS = SaharaStatus.ImageAuthFailure;

export const SaharaExec = {
  Nop: 0x00,
  SerialNumRead: 0x01,
  MsmHwIdRead: 0x02,
  OemPkHashRead: 0x03,
  SwitchToDmssDload: 0x04,
  SwitchToStreamDload: 0x05,
  ReadDebugData: 0x06,
  GetSoftwareVersionSbl: 0x07,
  GetCommandIdList: 0x08,
  GetTrainingData: 0x09,
  ReadChipIdV3: 0x0a,
} as const;

/** Protocol the MDM9607 PBL speaks: version 2, oldest compatible 1 (§1.3 real bytes, §1.4). */
export const TARGET_VERSION = 2;
export const TARGET_VERSION_SUPPORTED = 1;
/** The target's command buffer; goes into HELLO as cmd_packet_length (§1.1). */
export const SAHARA_MAX_PACKET = 0x400;
/** Largest READ_DATA the target asks for: 0x1000 on every real log (§1.6). */
export const SAHARA_MAX_READ = 0x1000;
/** HOSTDL/EHOSTDL: the Firehose programmer (prog_nand_firehose_9x07.mbn) (§1.6, §1.7). */
export const FIREHOSE_IMAGE_ID = 13;
