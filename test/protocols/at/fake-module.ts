// A scripted stand-in for the module's AT port, on the device end of createTransportPair(). It
// is deliberately dumb: it splits what the host sends at CR, optionally echoes it, and lets each
// test decide what bytes go back and when. The real simulator (src/sim) is tested elsewhere.

import type { ByteTransport } from '../../../src/transport/byte-transport.js';
import { createTransportPair } from '../../../src/transport/memory.js';
import { AtClient, type AtClientOptions } from '../../../src/protocols/at/client.js';

export type Handler = (command: string, module: FakeModule) => void | Promise<void>;

/** Frames lines the way the module does: <CR><LF>text<CR><LF> each. */
export function frame(...lines: string[]): string {
  return lines.map((line) => `\r\n${line}\r\n`).join('');
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('latin1');

export class FakeModule {
  readonly transport: ByteTransport;
  /** Every command line received, in order (echo or not). */
  readonly received: string[] = [];
  /** Raw bytes received, for tests that look at ESC / Ctrl-Z. */
  readonly raw: number[] = [];
  echo: boolean;
  #handler: Handler;
  #buffer = '';
  #closed = false;
  readonly done: Promise<void>;

  constructor(transport: ByteTransport, handler: Handler, options: { echo?: boolean } = {}) {
    this.transport = transport;
    this.#handler = handler;
    this.echo = options.echo ?? false;
    this.done = this.#loop();
  }

  set handler(handler: Handler) {
    this.#handler = handler;
  }

  async write(data: string | Uint8Array): Promise<void> {
    if (this.#closed) return;
    await this.transport.write(typeof data === 'string' ? encoder.encode(data) : data).catch(() => undefined);
  }

  /** Sends each line framed, e.g. reply('+CSQ: 99,99', 'OK'). */
  reply(...lines: string[]): Promise<void> {
    return this.write(frame(...lines));
  }

  /** The module goes away (USB unplug): the host's reads fail with TRANSPORT_DISCONNECTED. */
  async unplug(): Promise<void> {
    this.#closed = true;
    await this.transport.close();
  }

  async #loop(): Promise<void> {
    for (;;) {
      let chunk: Uint8Array;
      try {
        chunk = await this.transport.read();
      } catch {
        this.#closed = true;
        return;
      }
      this.raw.push(...chunk);
      this.#buffer += decoder.decode(chunk);
      for (;;) {
        const end = this.#buffer.indexOf('\r');
        if (end < 0) break;
        // eslint-disable-next-line no-control-regex -- the module ignores control bytes before "AT"
        const command = this.#buffer.slice(0, end).replace(/[\x00-\x1f]/g, '').trim();
        this.#buffer = this.#buffer.slice(end + 1);
        if (command === '') continue;
        this.received.push(command);
        if (this.echo) await this.write(`${command}\r`);
        await this.#handler(command, this);
      }
    }
  }
}

/** A client wired to a fake module, with quick resync settings; `using`-free cleanup via close(). */
export function connect(handler: Handler, options: { echo?: boolean; client?: AtClientOptions } = {}): { client: AtClient; module: FakeModule; close: () => Promise<void> } {
  const [host, device] = createTransportPair();
  const module = new FakeModule(device, handler, options.echo === undefined ? {} : { echo: options.echo });
  const client = new AtClient(host, { quietMs: 20, probeTimeoutMs: 1000, ...options.client });
  return {
    client,
    module,
    close: async () => {
      await client.close();
      await module.done;
    },
  };
}

/** Answers AT with OK and everything in `script` with its framed lines; unknown commands get ERROR. */
export function scripted(script: Readonly<Record<string, readonly string[]>>): Handler {
  return async (command, module) => {
    if (command === 'AT') {
      await module.reply('OK');
      return;
    }
    const lines = script[command];
    await module.reply(...(lines ?? ['ERROR']));
  };
}

export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
