// DIAG (QCDM) on the DM port: just what recovery needs — HDLC framing, the EDL switch and the
// firmware build id (quectel-ec25.md §2.4).
export { diagCrc16 } from './crc16.js';
export { encodeHdlcFrame, HdlcDecoder, HDLC_ESCAPE, HDLC_FLAG } from './hdlc.js';
export type { HdlcBadFrameReason, HdlcDecoderOptions, HdlcEncodeOptions, HdlcEvent } from './hdlc.js';
export { DiagCommand, diagRejection, EDL_SWITCH_FRAME, EDL_SWITCH_REQUEST, EXTENDED_BUILD_ID_FRAME, EXTENDED_BUILD_ID_REQUEST } from './commands.js';
export { DiagFrameReader } from './frame-reader.js';
export { parseExtendedBuildId } from './ext-build-id.js';
export type { ExtendedBuildId } from './ext-build-id.js';
export { readExtendedBuildId } from './build-id.js';
export type { ReadBuildIdOptions } from './build-id.js';
export { switchToEdl } from './switch-to-edl.js';
export type { SwitchToEdlOptions, SwitchToEdlResult } from './switch-to-edl.js';
export { DiagDisconnectedError, DiagEdlSwitchError, DiagProtocolError, DiagRejectedError, DiagTimeoutError } from './errors.js';
