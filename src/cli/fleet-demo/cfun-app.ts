import { connect, type Socket } from 'node:net';
import { MedicError } from '../../core/errors.js';

// The demo products' application, on the guard's AT proxy socket: a few status queries a day,
// and for the cycles-cfun habit a connection manager that "resets the radio" with AT+CFUN=0 /
// AT+CFUN=1, as field products do many times a day (so the guard sees, allows and records every
// transition: cfun-transition, nv-write).

const FINAL = /^(OK|ERROR|\+CME ERROR: .*|\+MEDIC: .*ERROR.*)$/u;

export class CfunApp {
  readonly #socket: Socket;
  #buffer = '';
  #waiting: ((line: string) => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      for (;;) {
        const end = this.#buffer.search(/[\r\n]/u);
        if (end < 0) break;
        const line = this.#buffer.slice(0, end).trim();
        this.#buffer = this.#buffer.slice(end + 1);
        if (line !== '' && FINAL.test(line)) this.#waiting?.(line);
      }
    });
  }

  static connect(path: string): Promise<CfunApp> {
    return new Promise((resolve, reject) => {
      const socket = connect(path, () => {
        socket.off('error', reject);
        resolve(new CfunApp(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Sends one command line and resolves with its final result line. */
  command(line: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        reject(new MedicError('FLEET_DEMO_APP_TIMEOUT', `no answer to ${line} within ${timeoutMs} ms`, { hint: 'The guard\'s AT proxy or the module stopped answering; the demo goes on with the next day.' }));
      }, timeoutMs);
      this.#waiting = (result) => {
        clearTimeout(timer);
        this.#waiting = undefined;
        resolve(result);
      };
      this.#socket.write(`${line}\r`);
    });
  }

  /** `toggles` times AT+CFUN=0 then AT+CFUN=1; returns how many were answered OK. */
  async toggle(toggles: number, timeoutMs: number): Promise<number> {
    let ok = 0;
    for (let index = 0; index < toggles; index++) {
      const off = await this.command('AT+CFUN=0', timeoutMs);
      const on = await this.command('AT+CFUN=1', timeoutMs);
      if (off === 'OK' && on === 'OK') ok++;
    }
    return ok;
  }

  close(): void {
    this.#socket.destroy();
  }
}
