// Bytes from the AT port → lines. The module frames every response line as <CR><LF>text<CR><LF>
// (fact sheet §3.1), but the echo of a command comes back as the command followed by CR alone
// ("AT+CSQ\r"), and ports carry junk: NULs while the USB function starts, binary DIAG frames on the
// wrong port, half lines when a module resets mid-answer. So any CR or LF ends a line, empty lines
// are dropped, and control bytes are removed rather than trusted.
//
// The text-entry prompt of AT+CMGS/AT+CMGW is "\r\n> " with no terminator (3GPP TS 27.005
// §3.5.1); it is reported as its own event as soon as a line consists of exactly "> ". A real line
// that starts with "> " would be split into a prompt and the rest; modules send no such lines.

export const DEFAULT_MAX_LINE_BYTES = 4096;

export type FrameEvent =
  | { readonly kind: 'line'; readonly text: string }
  | { readonly kind: 'prompt' }
  /** A line longer than the cap was thrown away; `dropped` bytes were lost. */
  | { readonly kind: 'overflow'; readonly dropped: number };

export interface LineFramerOptions {
  /** Longest line kept, in bytes; longer ones are discarded up to their terminator. */
  readonly maxLineBytes?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const DEL = 0x7f;
const GT = 0x3e;
const SPACE = 0x20;

const decoder = new TextDecoder('utf-8', { fatal: false });

export class LineFramer {
  readonly #max: number;
  readonly #buffer: Uint8Array;
  #length = 0;
  /** Bytes thrown away from an overlong line whose terminator has not come yet; 0 when none. */
  #overflowing = 0;

  constructor(options: LineFramerOptions = {}) {
    this.#max = Math.max(16, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    this.#buffer = new Uint8Array(this.#max);
  }

  /** Bytes of a line that has started but not ended. */
  get partialLength(): number {
    return this.#length + this.#overflowing;
  }

  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    for (const byte of chunk) {
      if (byte === CR || byte === LF) {
        this.#endLine(events);
        continue;
      }
      if ((byte < SPACE && byte !== TAB) || byte === DEL) continue;
      if (this.#overflowing > 0) {
        this.#overflowing += 1;
        continue;
      }
      if (this.#length === this.#max) {
        this.#overflowing = this.#length + 1;
        this.#length = 0;
        continue;
      }
      this.#buffer[this.#length++] = byte;
      if (this.#length === 2 && this.#buffer[0] === GT && this.#buffer[1] === SPACE) {
        this.#length = 0;
        events.push({ kind: 'prompt' });
      }
    }
    return events;
  }

  /** Forgets a half-received line (after a timeout or cancel, or on resync); returns its length. */
  discardPartial(): number {
    const dropped = this.partialLength;
    this.#length = 0;
    this.#overflowing = 0;
    return dropped;
  }

  #endLine(events: FrameEvent[]): void {
    if (this.#overflowing > 0) {
      events.push({ kind: 'overflow', dropped: this.#overflowing });
      this.#overflowing = 0;
      return;
    }
    if (this.#length === 0) return;
    const text = decoder.decode(this.#buffer.subarray(0, this.#length)).trim();
    this.#length = 0;
    if (text !== '') events.push({ kind: 'line', text });
  }
}
