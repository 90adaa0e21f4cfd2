import { encodeHdlcFrame } from './hdlc.js';

// DIAG command codes this layer uses. The request codes are from quectel-ec25.md §2.4; the error
// response codes are NOT in our fact sheets — they come from ModemManager's libqcdm
// (dm-commands.h: 19 bad command, 20 bad parameter, 21 bad length, 24 bad mode), where the
// device answers such a code followed by the request it refused.
export const DiagCommand = {
  /** Subsystem dispatch: subsystem id (u8) and subsystem command (u16 LE) follow. */
  SubsystemDispatch: 0x4b,
  /** Extended build id (DMSS ICD 3.4.124); QFirehose reads the firmware revision with it. */
  ExtendedBuildId: 0x7c,
  BadCommand: 0x13,
  BadParameter: 0x14,
  BadLength: 0x15,
  BadMode: 0x18,
} as const;
export type DiagCommand = (typeof DiagCommand)[keyof typeof DiagCommand];

export const diagErrorResponseNames: Readonly<Record<number, string>> = {
  [DiagCommand.BadCommand]: 'bad command',
  [DiagCommand.BadParameter]: 'bad parameter',
  [DiagCommand.BadLength]: 'bad length',
  [DiagCommand.BadMode]: 'not allowed in this mode',
};

/**
 * "Go to emergency download": subsystem 0x65, command 0x0001 (quectel-ec25.md §2.4). QFirehose and
 * fwupd send exactly the frame `4B 65 01 00 54 0F 7E` on the DM port; the module echoes it.
 */
export const EDL_SWITCH_REQUEST = Uint8Array.of(DiagCommand.SubsystemDispatch, 0x65, 0x01, 0x00);
export const EDL_SWITCH_FRAME = encodeHdlcFrame(EDL_SWITCH_REQUEST);

/** QFirehose sends this one with a leading flag: `7E 7C 93 49 7E` (quectel-ec25.md §2.4). */
export const EXTENDED_BUILD_ID_REQUEST = Uint8Array.of(DiagCommand.ExtendedBuildId);
export const EXTENDED_BUILD_ID_FRAME = encodeHdlcFrame(EXTENDED_BUILD_ID_REQUEST, { leadingFlag: true });

/** When `payload` is an error response to `request`, the name of the error; else undefined. */
export function diagRejection(payload: Uint8Array, request: Uint8Array): string | undefined {
  const name = diagErrorResponseNames[payload[0] ?? -1];
  if (name === undefined) return undefined;
  const echoed = payload.subarray(1, 1 + request.length);
  return echoed.length === request.length && echoed.every((byte, i) => byte === request[i]) ? name : undefined;
}
