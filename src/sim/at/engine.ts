// One AT port of the module (the AT port if2 and the modem port if3 both take AT, §1.2). Echo
// and CMEE are per port (ATE1 and CMEE=1 by default, §3.1). Lines end at CR; LF is ignored;
// backspace edits; text before the "AT" prefix is skipped. Before RDY, after the firmware stops,
// and under the at-silent fault the port takes bytes and says nothing, not even the echo.
import { isMedicError } from '../../core/errors.js';
import type { TimerGroup } from '../clock.js';
import type { AtPortRole } from '../urc.js';
import { cmeLine } from './cme.js';
import { parseCommandLine } from './parse.js';
import type { AtCommand, AtContext, AtModule, AtOutcome, PortSettings } from './types.js';

const MAX_LINE = 2048;
/** Module ms before a simple command answers. */
const DEFAULT_LATENCY_MS = 20;

export interface AtEngineDeps {
  readonly role: AtPortRole;
  readonly commands: ReadonlyMap<string, AtCommand>;
  readonly module: AtModule;
  /** The firmware's current life while it answers AT (after RDY); undefined otherwise. */
  life(): TimerGroup | undefined;
  silent(): boolean;
  onError(error: unknown): void;
}

export interface AtPortWriter {
  write(bytes: Uint8Array | string): void;
}

export class AtEngine {
  readonly settings: PortSettings = { echo: true, cmee: 1 };
  readonly #port: AtPortWriter;
  readonly #deps: AtEngineDeps;
  #line: number[] = [];
  readonly #queue: string[] = [];
  #busy = false;
  #closed = false;

  constructor(port: AtPortWriter, deps: AtEngineDeps) {
    this.#port = port;
    this.#deps = deps;
  }

  receive(bytes: Uint8Array): void {
    if (this.#closed || this.#deps.life() === undefined || this.#deps.silent()) return;
    if (this.settings.echo) this.#port.write(bytes);
    for (const byte of bytes) {
      if (byte === 0x0d) {
        this.#queue.push(Buffer.from(this.#line).toString('latin1'));
        this.#line = [];
      } else if (byte === 0x0a) {
        continue;
      } else if (byte === 0x08 || byte === 0x7f) {
        this.#line.pop();
      } else if (this.#line.length < MAX_LINE) {
        this.#line.push(byte);
      }
    }
    if (!this.#busy) void this.#drain();
  }

  urc(text: string): void {
    if (this.#closed || this.#deps.silent()) return;
    this.#port.write(`\r\n${text}\r\n`);
  }

  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
  }

  async #drain(): Promise<void> {
    this.#busy = true;
    try {
      for (let line = this.#queue.shift(); line !== undefined; line = this.#queue.shift()) {
        if (this.#closed) return;
        await this.#run(line);
      }
    } finally {
      this.#busy = false;
    }
  }

  async #run(line: string): Promise<void> {
    const start = line.search(/at/i);
    if (start < 0) return;
    const life = this.#deps.life();
    if (life === undefined) return;
    const ctx: AtContext = { module: this.#deps.module, port: this.settings, role: this.#deps.role, sleep: (ms) => life.sleep(ms) };
    let output = '';
    let final = 'OK';
    try {
      const calls = parseCommandLine(line.slice(start + 2));
      if (calls === null) {
        final = 'ERROR';
      } else {
        if (calls.length === 0) await life.sleep(DEFAULT_LATENCY_MS);
        for (const call of calls) {
          const command = this.#deps.commands.get(call.name);
          if (command === undefined) {
            await life.sleep(DEFAULT_LATENCY_MS);
            final = 'ERROR';
            break;
          }
          await life.sleep(command.latencyMs ?? DEFAULT_LATENCY_MS);
          const outcome: AtOutcome = await command.handle(call, ctx);
          if (outcome.kind === 'ok') {
            if (outcome.lines.length > 0) output += `\r\n${outcome.lines.join('\r\n')}\r\n`;
            continue;
          }
          final = outcome.kind === 'cme' ? cmeLine(outcome.code, this.settings.cmee) : 'ERROR';
          break;
        }
      }
    } catch (error) {
      // The firmware stopped mid-command (power cut, reset): the answer never comes.
      if (isMedicError(error) && error.code === 'CANCELLED') return;
      this.#deps.onError(error);
      final = 'ERROR';
    }
    if (this.#closed || !life.active || this.#deps.silent()) return;
    this.#port.write(`${output}\r\n${final}\r\n`);
  }
}
