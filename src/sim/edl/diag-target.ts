// The DM (DIAG) port of a module in normal mode, as far as recovery tools use it (quectel sheet
// §2.4, §6): the EDL switch request 4B 65 01 00 (subsystem dispatch 0x4B, subsystem 0x65,
// command 0x0001) is echoed as the same frame and the module then drops off USB and comes back as
// 05c6:9008 after ~1–3 s; the extended build-id request 7C is answered with the firmware build.
// Everything else is ignored: the sheet documents no DIAG "bad command" reply. Frames with a bad
// CRC are ignored too.
import { logDebug, silentLogger, type Logger } from '../../core/logger.js';
import { ByteBuffer } from './byte-buffer.js';
import { decodeHdlcFrame, encodeHdlc, HDLC_FLAG } from './hdlc.js';

export const DIAG_EDL_SWITCH_REQUEST = Uint8Array.from([0x4b, 0x65, 0x01, 0x00]);
export const DIAG_EXT_BUILD_ID = 0x7c;
/** Re-enumeration as 9008 after the echo: "~1–3 s" in QFirehose logs (quectel sheet §2.4). */
export const EDL_REENUMERATE_MS = 2000;
/** A DM-port frame longer than this without a flag is noise; drop it. */
const MAX_FRAME = 4096;

export interface DiagBuildInfo {
  /** The firmware build string, e.g. the revision EC25EFAR06A06M4G. */
  readonly buildId: string;
  readonly modelString: string;
  readonly msmHwVersion: number;
  readonly mobileModelId: number;
}

export interface DiagTargetOptions {
  send(bytes: Uint8Array): void;
  /** The echo went out; the simulator takes the module off USB and brings it back in EDL. */
  onEnterEdl(request: { readonly reenumerateAfterMs: number }): void;
  readonly build?: Partial<DiagBuildInfo>;
  readonly reenumerateAfterMs?: number;
  readonly logger?: Logger;
}

const DEFAULT_BUILD: DiagBuildInfo = { buildId: 'EC25EFAR06A06M4G', modelString: 'EC25', msmHwVersion: 0, mobileModelId: 0 };

export class DiagTarget {
  readonly #options: DiagTargetOptions;
  readonly #build: DiagBuildInfo;
  readonly #logger: Logger;
  readonly #input = new ByteBuffer();
  #leaving = false;

  constructor(options: DiagTargetOptions) {
    this.#options = options;
    this.#build = { ...DEFAULT_BUILD, ...options.build };
    this.#logger = options.logger ?? silentLogger;
  }

  /** True once the EDL switch was accepted: the port answers nothing more. */
  get leavingForEdl(): boolean {
    return this.#leaving;
  }

  receive(bytes: Uint8Array): void {
    let from = 0;
    for (let index = 0; index < bytes.length && !this.#leaving; index += 1) {
      if (bytes[index] !== HDLC_FLAG) continue;
      this.#input.push(bytes.subarray(from, index));
      from = index + 1;
      const frame = this.#input.take(this.#input.length);
      if (frame.length > 0 && frame.length <= MAX_FRAME) this.#onFrame(frame);
    }
    if (this.#leaving) return;
    this.#input.push(bytes.subarray(from));
    if (this.#input.length > MAX_FRAME) this.#input.clear();
  }

  #onFrame(escaped: Uint8Array): void {
    const frame = decodeHdlcFrame(escaped);
    if (!frame.ok) {
      logDebug(this.#logger, 'diag target: frame dropped', { reason: frame.reason, bytes: escaped.length });
      return;
    }
    const { payload } = frame;
    if (equal(payload, DIAG_EDL_SWITCH_REQUEST)) {
      this.#options.send(encodeHdlc(payload));
      this.#leaving = true;
      this.#options.onEnterEdl({ reenumerateAfterMs: this.#options.reenumerateAfterMs ?? EDL_REENUMERATE_MS });
      return;
    }
    if (payload.length === 1 && payload[0] === DIAG_EXT_BUILD_ID) {
      this.#options.send(encodeHdlc(extendedBuildIdResponse(this.#build)));
      return;
    }
    logDebug(this.#logger, 'diag target: request ignored', { command: payload[0] });
  }
}

/**
 * Response layout UNVERIFIED — the sheet has none. We use the one commonly documented for
 * DIAG_EXT_BUILD_ID_F: cmd 0x7C, version u8, 2 reserved bytes, msm_hw_version u32 LE,
 * mobile_model_id u32 LE, build id NUL-terminated, model string NUL-terminated.
 */
export function extendedBuildIdResponse(build: DiagBuildInfo): Uint8Array {
  const text = Buffer.from(`${build.buildId}\0${build.modelString}\0`, 'latin1');
  const out = new Uint8Array(12 + text.length);
  const view = new DataView(out.buffer);
  out[0] = DIAG_EXT_BUILD_ID;
  view.setUint32(4, build.msmHwVersion >>> 0, true);
  view.setUint32(8, build.mobileModelId >>> 0, true);
  out.set(text, 12);
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
