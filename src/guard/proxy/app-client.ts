import { AppInput, type AppInputEvent } from './app-input.js';

// One application connected to the proxy (a pseudo-terminal or a socket connection). It has
// its own echo setting and its own line of commands, answered in order: one app's commands
// never overtake each other, and never interleave with another app's on the module.

/** Where the proxy writes to an application. */
export interface AppChannel {
  write(bytes: string): void;
}

export type AppWork = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'overflow'; readonly bytes: number };

export type AppWorkHandler = (client: AppClient, work: AppWork) => Promise<void>;

/** Lines an app may have waiting; beyond this the app is flooding and new lines are dropped. */
const MAX_QUEUED = 64;

export class AppClient {
  readonly name: string;
  readonly #channel: AppChannel;
  readonly #handler: AppWorkHandler;
  readonly #input: AppInput;
  readonly #queue: AppWork[] = [];
  /** ATE state, per application: the module's own echo is the proxy's business (AtClient). */
  echo = true;
  #lastLine: string | undefined;
  #busy = false;
  #dropped = 0;

  constructor(name: string, channel: AppChannel, options: { readonly handler: AppWorkHandler; readonly maxLineBytes: number }) {
    this.name = name;
    this.#channel = channel;
    this.#handler = options.handler;
    this.#input = new AppInput(options.maxLineBytes);
  }

  /** Lines dropped because the app sent more than MAX_QUEUED without waiting for answers. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Bytes from the application. */
  receive(bytes: Uint8Array): void {
    if (this.echo) this.#channel.write(Buffer.from(bytes).toString('latin1'));
    for (const event of this.#input.push(bytes)) this.#onInput(event);
    if (!this.#busy) void this.#drain();
  }

  /** The application closed its end: its half line and its queued lines go. */
  disconnected(): void {
    this.#input.reset();
    this.#queue.length = 0;
  }

  /** An answer: information lines, then the final result code, framed as the module frames them. */
  reply(lines: readonly string[], final: string): void {
    this.#channel.write(`${lines.map((line) => `\r\n${line}\r\n`).join('')}\r\n${final}\r\n`);
  }

  /** An unsolicited line (and the data lines of a two-line URC such as +CMT). */
  unsolicited(lines: readonly string[]): void {
    this.#channel.write(`\r\n${lines.join('\r\n')}\r\n`);
  }

  #onInput(event: AppInputEvent): void {
    let work: AppWork;
    if (event.kind === 'repeat') {
      if (this.#lastLine === undefined) return;
      work = { kind: 'line', text: this.#lastLine };
    } else if (event.kind === 'line') {
      if (!/at/i.test(event.text)) return;
      this.#lastLine = event.text;
      work = event;
    } else {
      work = event;
    }
    if (this.#queue.length >= MAX_QUEUED) {
      this.#dropped += 1;
      return;
    }
    this.#queue.push(work);
  }

  async #drain(): Promise<void> {
    this.#busy = true;
    try {
      for (let work = this.#queue.shift(); work !== undefined; work = this.#queue.shift()) {
        await this.#handler(this, work);
      }
    } finally {
      this.#busy = false;
    }
  }
}
