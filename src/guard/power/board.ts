import type { Signal, SignalLevels } from '../config/config.js';
import { otherLevel, type GpioLines } from '../gpio/lines.js';
import { PowerError, powerErrorCodes } from './errors.js';

// The module's signals in the board's terms (asserted or not), over physical GPIO lines and the
// board file's levels. Durations are real ms.

export class Board {
  readonly lines: GpioLines;
  readonly levels: SignalLevels;
  /** STATUS is USB presence (no STATUS line): it follows USB, not the pin (gpio/usb-status.ts). */
  readonly statusFromUsb: boolean;

  constructor(lines: GpioLines, levels: SignalLevels, statusFromUsb = false) {
    this.lines = lines;
    this.levels = levels;
    this.statusFromUsb = statusFromUsb;
  }

  has(signal: Signal): boolean {
    return this.lines.line(signal) !== undefined;
  }

  async drive(signal: Signal, asserted: boolean): Promise<void> {
    await this.#line(signal).set(asserted ? this.levels[signal] : otherLevel(this.levels[signal]));
  }

  /** Asserts `signal` for `ms`, then de-asserts it. */
  async press(signal: Signal, ms: number): Promise<void> {
    await this.#line(signal).pulse(this.levels[signal], ms);
  }

  /** Whether STATUS says the module runs; undefined when the board cannot tell. */
  async running(): Promise<boolean | undefined> {
    const status = this.lines.line('status');
    if (status === undefined) return undefined;
    return (await status.get()) === this.levels.status;
  }

  async waitRunning(running: boolean, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const level = running ? this.levels.status : otherLevel(this.levels.status);
    await this.#line('status').waitFor(level, timeoutMs, signal);
  }

  #line(signal: Signal): NonNullable<ReturnType<GpioLines['line']>> {
    const line = this.lines.line(signal);
    if (line === undefined) throw new PowerError(powerErrorCodes.lineMissing, `the board has no ${signal} line`, { hint: `Wire ${signal} in [gpio.lines], or use a sequence that does without it.` });
    return line;
  }
}
