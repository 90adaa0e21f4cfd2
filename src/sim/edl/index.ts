// The device side of emergency download for the simulator: Sahara (PBL), the Firehose NAND
// programmer, the DIAG EDL switch, and the session that runs them on one port.
export { createEdlSession, attachEdlSession, type EdlSession, type EdlSessionOptions, type EdlPort, type EdlPhase, type EdlResetEvent, type SaharaSessionOptions } from './edl-session.js';
export { SaharaTarget, type SaharaTargetOptions, type SaharaTargetState, type ReceivedImage } from './sahara-target.js';
export { SaharaCommand, SaharaMode, SaharaStatus, SaharaExec, FIREHOSE_IMAGE_ID, type SaharaStatusCode, type SaharaModeId } from './sahara-protocol.js';
export { MDM9607_IDENTITY, QUALCOMM_TEST_ROOT_PK_HASH, type SaharaIdentity } from './sahara-identity.js';
export { FirehoseTarget, type FirehoseTargetOptions, type FirehoseTargetState } from './firehose-target.js';
export { BOOT_BF_NAND_PERSONALITY, type FirehosePersonality } from './firehose-personality.js';
export type { FirehoseFaults, FirehoseStopReport } from './firehose-faults.js';
export { FIREHOSE_TAGS, type FirehoseTag } from './firehose-xml-reader.js';
export { DiagTarget, DIAG_EDL_SWITCH_REQUEST, EDL_REENUMERATE_MS, extendedBuildIdResponse, type DiagTargetOptions, type DiagBuildInfo } from './diag-target.js';
export { crc16X25, encodeHdlc, decodeHdlcFrame } from './hdlc.js';
