// Talks to a simulated module's AT port the way host software does: through the serial transport
// on the pty the simulator's dev/ttyUSBn link points to. Keeps everything received, so a test
// can look at URCs, echo and answers byte for byte.
import type { ByteTransport } from '../../src/transport/byte-transport.js';
import { openSerial } from '../../src/transport/serial.js';

const FINAL = /\r\n(OK|ERROR|\+CME ERROR: [^\r]*)\r\n/;

export class SimAtPort {
  readonly transport: ByteTransport;
  #text = '';
  #ended: Error | undefined;
  #waiters = new Set<() => void>();

  private constructor(transport: ByteTransport) {
    this.transport = transport;
    void this.#pump();
  }

  static async open(path: string): Promise<SimAtPort> {
    return new SimAtPort(await openSerial({ path }));
  }

  /** Everything received so far (latin1). */
  get text(): string {
    return this.#text;
  }

  /** Why reading stopped (a hang-up is TRANSPORT_DISCONNECTED), or undefined while open. */
  get ended(): Error | undefined {
    return this.#ended;
  }

  mark(): number {
    return this.#text.length;
  }

  async send(raw: string): Promise<void> {
    await this.transport.write(Buffer.from(raw, 'latin1'));
  }

  /** Sends `line` + CR and returns what came back, up to and including the final result code. */
  async command(line: string, timeoutMs = 10_000): Promise<string> {
    const from = this.mark();
    await this.send(`${line}\r`);
    const found = await this.waitFor(FINAL, timeoutMs, from, `the answer to ${line}`);
    return this.#text.slice(from, from + found.index + found[0].length);
  }

  /** Waits until the text received after `from` matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs = 10_000, from = 0, what = String(pattern)): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const match = pattern.exec(this.#text.slice(from));
        if (match !== null) {
          done();
          resolve(match);
          return true;
        }
        if (this.#ended !== undefined) {
          done();
          reject(new Error(`port ended (${this.#ended.message}) while waiting for ${what}; got ${JSON.stringify(this.#text.slice(from))}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(this.#text.slice(from))}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const waiter = (): void => {
        check();
      };
      if (!check()) this.#waiters.add(waiter);
    });
  }

  /** Resolves once the port has hung up (or was closed). */
  async waitForEnd(timeoutMs = 10_000): Promise<Error> {
    const until = Date.now() + timeoutMs;
    while (this.#ended === undefined) {
      if (Date.now() > until) throw new Error(`the port did not hang up within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.#ended;
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  async #pump(): Promise<void> {
    for (;;) {
      try {
        const chunk = await this.transport.read();
        this.#text += Buffer.from(chunk).toString('latin1');
      } catch (error) {
        this.#ended = error instanceof Error ? error : new Error(String(error));
        for (const waiter of [...this.#waiters]) waiter();
        return;
      }
      for (const waiter of [...this.#waiters]) waiter();
    }
  }
}
