import { diagCrc16 } from './crc16.js';

// DIAG's async-HDLC framing (quectel-ec25.md §2.4): payload + CRC-16 (low byte first), every 0x7E
// and 0x7D inside escaped as 0x7D, byte XOR 0x20, then one 0x7E flag ending the frame. Some hosts
// also put a flag in front (QFirehose's extended-build-id request `7E 7C 93 49 7E`); the device
// side ignores the empty frame that makes.

export const HDLC_FLAG = 0x7e;
export const HDLC_ESCAPE = 0x7d;
const ESCAPE_XOR = 0x20;

export interface HdlcEncodeOptions {
  /** Put a 0x7E before the frame as well, as QFirehose does for the build-id request. */
  readonly leadingFlag?: boolean;
}

export function encodeHdlcFrame(payload: Uint8Array, options: HdlcEncodeOptions = {}): Uint8Array {
  const crc = diagCrc16(payload);
  const body = new Uint8Array(payload.length + 2);
  body.set(payload);
  body[payload.length] = crc & 0xff;
  body[payload.length + 1] = crc >>> 8;
  const out: number[] = options.leadingFlag === true ? [HDLC_FLAG] : [];
  for (const byte of body) {
    if (byte === HDLC_FLAG || byte === HDLC_ESCAPE) out.push(HDLC_ESCAPE, byte ^ ESCAPE_XOR);
    else out.push(byte);
  }
  out.push(HDLC_FLAG);
  return Uint8Array.from(out);
}

export type HdlcBadFrameReason = 'crc' | 'too-short' | 'bad-escape' | 'too-long';

export type HdlcEvent =
  | { readonly kind: 'frame'; readonly payload: Uint8Array }
  /** `raw` is the unescaped content (payload + CRC as received), for a trace. */
  | { readonly kind: 'bad-frame'; readonly reason: HdlcBadFrameReason; readonly raw: Uint8Array };

export interface HdlcDecoderOptions {
  /**
   * Longest unescaped frame kept before giving up on it. DIAG responses are small (a few hundred
   * bytes); a stream without flags (the wrong port, line noise) must not grow memory forever.
   */
  readonly maxFrameLength?: number;
}

/**
 * Incremental decoder: feed chunks as they arrive, get whole frames back. Garbage-tolerant: a
 * frame with a bad CRC, a bad escape or no flag in sight is reported and skipped, and decoding
 * resumes at the next flag. Empty frames (two flags in a row) are ignored.
 */
export class HdlcDecoder {
  readonly #maxFrameLength: number;
  #frame: number[] = [];
  #escaped = false;
  #overflow = false;

  constructor(options: HdlcDecoderOptions = {}) {
    this.#maxFrameLength = options.maxFrameLength ?? 16 * 1024;
  }

  /** Bytes held for a frame whose closing flag has not arrived yet. */
  get pending(): number {
    return this.#frame.length;
  }

  push(chunk: Uint8Array): HdlcEvent[] {
    const events: HdlcEvent[] = [];
    for (const byte of chunk) {
      if (byte === HDLC_FLAG) {
        const event = this.#finish();
        if (event !== undefined) events.push(event);
        continue;
      }
      if (this.#overflow) continue;
      if (this.#escaped) {
        this.#escaped = false;
        this.#frame.push(byte ^ ESCAPE_XOR);
      } else if (byte === HDLC_ESCAPE) {
        this.#escaped = true;
      } else {
        this.#frame.push(byte);
      }
      if (this.#frame.length > this.#maxFrameLength) {
        events.push({ kind: 'bad-frame', reason: 'too-long', raw: Uint8Array.from(this.#frame) });
        this.#frame = [];
        this.#overflow = true;
      }
    }
    return events;
  }

  #finish(): HdlcEvent | undefined {
    const frame = this.#frame;
    // An escape right before the flag means the escaped byte was the flag itself: corrupt.
    const badEscape = this.#escaped;
    const overflow = this.#overflow;
    this.#frame = [];
    this.#escaped = false;
    this.#overflow = false;
    if (overflow) return undefined;
    if (frame.length === 0 && !badEscape) return undefined;
    const raw = Uint8Array.from(frame);
    if (badEscape) return { kind: 'bad-frame', reason: 'bad-escape', raw };
    if (raw.length < 3) return { kind: 'bad-frame', reason: 'too-short', raw };
    const payload = raw.subarray(0, raw.length - 2);
    const received = (raw[raw.length - 2] ?? 0) | ((raw[raw.length - 1] ?? 0) << 8);
    if (diagCrc16(payload) !== received) return { kind: 'bad-frame', reason: 'crc', raw };
    return { kind: 'frame', payload: payload.slice() };
  }
}
