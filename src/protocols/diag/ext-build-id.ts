import { DiagCommand } from './commands.js';
import { DiagProtocolError } from './errors.js';

// The answer to the extended build-id request (0x7C). Its layout is NOT in our fact sheets
// (quectel-ec25.md §2.4 gives only the request). UNVERIFIED against a real EC25: taken from
// QFirehose's own response struct (stream_download_protocol.c, citing Qualcomm ICD 80-V1294-1
// §3.4.122: cmd u8, version u8, reserved u8[2], msm u32, mobile model u32, then the software
// revision string) and Qualcomm's diag_ext_build_id_rsp_type, which adds that the revision is
// NUL-terminated and followed by a second NUL-terminated model string. Parsed leniently: the
// strings may lack their NULs, and the model string may be absent.

const FIXED_LENGTH = 12;
const latin1 = new TextDecoder('latin1');

export interface ExtendedBuildId {
  /** MSM_HW_VERSION_FORMAT byte; 0 on the targets we know of. */
  readonly msmHwVersionFormat: number;
  readonly msmHwVersion: number;
  readonly mobileModelId: number;
  /** The mobile software revision, e.g. the Quectel revision `EC25EFAR06A06M4G` (UNVERIFIED). */
  readonly buildId: string;
  readonly modelString: string | undefined;
}

export function parseExtendedBuildId(payload: Uint8Array): ExtendedBuildId {
  if (payload[0] !== DiagCommand.ExtendedBuildId) {
    throw new DiagProtocolError(`not an extended build-id answer (command 0x${(payload[0] ?? 0).toString(16)})`, {
      hint: 'Another program may be talking DIAG on this port at the same time; stop it and retry.',
    });
  }
  if (payload.length < FIXED_LENGTH) {
    throw new DiagProtocolError(`extended build-id answer too short: ${payload.length} bytes, need at least ${FIXED_LENGTH}`, {
      hint: 'The firmware answered in a layout we do not know; report it with a trace of the answer.',
    });
  }
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const [buildId, afterBuildId] = cString(payload, FIXED_LENGTH);
  const [modelString] = afterBuildId < payload.length ? cString(payload, afterBuildId) : [undefined];
  return {
    msmHwVersionFormat: payload[1] ?? 0,
    msmHwVersion: view.getUint32(4, true),
    mobileModelId: view.getUint32(8, true),
    buildId,
    modelString,
  };
}

/** The string starting at `offset` up to its NUL (or the end), and where the next one starts. */
function cString(bytes: Uint8Array, offset: number): [string, number] {
  const nul = bytes.indexOf(0, offset);
  const end = nul < 0 ? bytes.length : nul;
  return [latin1.decode(bytes.subarray(offset, end)), end + 1];
}
