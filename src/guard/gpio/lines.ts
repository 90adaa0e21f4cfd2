import { TimeoutError } from '../../core/errors.js';
import { sleep } from '../../core/time.js';
import type { Level, Signal } from '../config/config.js';
import { GpioError, gpioErrorCodes } from './errors.js';

// The guard's view of GPIO: a line per signal, driven or read at the *physical* level. What a
// level means (pressed, running…) is the board's business (config levels, power/board.ts).
// Durations here are real milliseconds.

export interface GpioLine {
  readonly signal: Signal;
  readonly direction: 'output' | 'input';
  /** Drives the line and keeps it there. */
  set(level: Level): Promise<void>;
  /** The level on the line (outputs: the level last driven). */
  get(): Promise<Level>;
  /** Drives `level` for `ms` real ms, then the other level; resolves after the release. */
  pulse(level: Level, ms: number): Promise<void>;
  /** Resolves once the line reads `level`; rejects with TimeoutError after `timeoutMs` real ms. */
  waitFor(level: Level, timeoutMs: number, signal?: AbortSignal): Promise<void>;
}

export interface GpioLines {
  /** gpiod v1 / gpiod v2 / sim / none, for logs and `medic guard status`. */
  readonly description: string;
  /** The line wired to `signal`, or undefined when the board has none. */
  line(signal: Signal): GpioLine | undefined;
  /** Releases every line (a released line goes where the board's pull resistors take it). */
  close(): Promise<void>;
}

export function otherLevel(level: Level): Level {
  return level === 'low' ? 'high' : 'low';
}

/** waitFor by polling `get`: STATUS changes take seconds (§4.2, §4.3), so polling is enough. */
export async function pollForLevel(line: Pick<GpioLine, 'get' | 'signal'>, wanted: { level: Level; timeoutMs: number; pollMs: number }, signal?: AbortSignal): Promise<void> {
  const until = Date.now() + wanted.timeoutMs;
  for (;;) {
    if ((await line.get()) === wanted.level) return;
    const left = until - Date.now();
    if (left <= 0) throw new TimeoutError(`${line.signal} did not read ${wanted.level} within ${Math.round(wanted.timeoutMs)} ms`, { hint: `Check the ${line.signal} wiring and its level setting in [gpio.levels].` });
    await sleep(Math.min(wanted.pollMs, left), signal);
  }
}

/** An input-only line: set and pulse are refused (a mistake in the board file or the code). */
export function refuseOutput(signal: Signal): never {
  throw new GpioError(gpioErrorCodes.notOutput, `${signal} is an input line; it cannot be driven`, { hint: 'Only STATUS is an input; check which signal the sequence drives.' });
}
