// Bytes an application writes → command lines, as the module's own AT interpreter reads them
// (V.250 §5.2; the simulator's engine does the same): a line ends at CR, LF is ignored,
// backspace edits, `A/` repeats the last line at once (no CR), and everything is echoed as it
// arrives while echo is on (ATE1, the power-on default, quectel-ec25.md §3.1).

export const DEFAULT_MAX_APP_LINE_BYTES = 2048;

export type AppInputEvent =
  | { readonly kind: 'line'; readonly text: string }
  | { readonly kind: 'repeat' }
  /** A line longer than the limit ended; it was dropped whole. */
  | { readonly kind: 'overflow'; readonly bytes: number };

const CR = 0x0d;
const LF = 0x0a;
const BS = 0x08;
const DEL = 0x7f;
const SLASH = 0x2f;

export class AppInput {
  readonly #max: number;
  #line: number[] = [];
  #overflow = 0;

  constructor(maxLineBytes = DEFAULT_MAX_APP_LINE_BYTES) {
    this.#max = maxLineBytes;
  }

  push(bytes: Uint8Array): AppInputEvent[] {
    const events: AppInputEvent[] = [];
    for (const byte of bytes) {
      if (byte === CR) {
        if (this.#overflow > 0) events.push({ kind: 'overflow', bytes: this.#overflow });
        else events.push({ kind: 'line', text: Buffer.from(this.#line).toString('latin1') });
        this.#line = [];
        this.#overflow = 0;
      } else if (byte === LF) {
        continue;
      } else if (byte === BS || byte === DEL) {
        this.#line.pop();
      } else if (this.#overflow > 0) {
        this.#overflow += 1;
      } else if (byte === SLASH && this.#line.length === 1 && (this.#line[0] === 0x41 || this.#line[0] === 0x61)) {
        events.push({ kind: 'repeat' });
        this.#line = [];
      } else if (this.#line.length >= this.#max) {
        this.#overflow = this.#line.length + 1;
        this.#line = [];
      } else {
        this.#line.push(byte);
      }
    }
    return events;
  }

  /** Forgets a half-typed line (the application went away). */
  reset(): void {
    this.#line = [];
    this.#overflow = 0;
  }
}
