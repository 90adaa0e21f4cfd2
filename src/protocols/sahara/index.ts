// Sahara, the boot ROM's image-transfer protocol (edl-protocols.md §1): packet tables, the host
// state machine that uploads a Firehose programmer, and command-mode chip ids.
export { SaharaCommand, SaharaExecCommand, SaharaMode, SaharaStatus, SAHARA_HEADER_SIZE, SAHARA_MAX_PACKET_SIZE, saharaCommandName, saharaStatusName } from './constants.js';
export { saharaStatusAdvice } from './status-advice.js';
export type { SaharaStatusAdvice } from './status-advice.js';
export { decodeSaharaPacket, encodeSaharaPacket, saharaPacketLayouts, saharaPacketLength } from './packets.js';
export type { SaharaDecodeResult, SaharaPacket, SaharaPacketFields, SaharaPacketKind, SaharaPacketOf } from './packets.js';
export { SaharaPacketReader } from './packet-reader.js';
export type { SaharaExpectation, SaharaIncoming } from './packet-reader.js';
export { knownMsmIds, looksLikeQualcommTestRoot, parseChipIdV3, parseHwId, parsePkHash, parseSerialNumber } from './chip-info.js';
export type { SaharaHwId } from './chip-info.js';
export { defaultSaharaTimeouts, loadProgrammer, SaharaHost } from './host.js';
export type { ChipInfoOptions, LoadProgrammerOptions, SaharaChipInfo, SaharaHello, SaharaHostOptions, SaharaLoadResult, SaharaProgress, SaharaTimeouts } from './host.js';
export { SaharaDisconnectedError, SaharaFirehoseRunningError, SaharaImageRangeError, SaharaNakError, SaharaProtocolError, SaharaTimeoutError } from './errors.js';
