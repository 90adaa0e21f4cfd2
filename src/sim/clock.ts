// Module time. `--time-scale F` makes every duration the module takes last F × its real length
// (DESIGN.md, "Time-scaled"): 0.01 turns the ~13 s boot into ~130 ms and keeps every ratio.
// All timings in src/sim are written in module milliseconds; only this file converts.
import { UsageError } from '../core/errors.js';
import { monotonicMs, sleep } from '../core/time.js';

export interface SimTimer {
  cancel(): void;
}

export class SimClock {
  readonly scale: number;
  readonly #origin = monotonicMs();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(scale = 1) {
    if (!Number.isFinite(scale) || scale <= 0) {
      throw new UsageError(`time scale must be a positive number, not ${scale}`, { hint: 'Use --time-scale 1 for real time, 0.01 for a 100× faster module.' });
    }
    this.scale = scale;
  }

  /** Module milliseconds since the simulator started. */
  now(): number {
    return (monotonicMs() - this.#origin) / this.scale;
  }

  realMs(moduleMs: number): number {
    return moduleMs * this.scale;
  }

  after(moduleMs: number, fn: () => void): SimTimer {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, this.realMs(moduleMs));
    this.#timers.add(timer);
    return {
      cancel: () => {
        clearTimeout(timer);
        this.#timers.delete(timer);
      },
    };
  }

  /** Rejects with CancelledError when `signal` fires first. */
  sleep(moduleMs: number, signal?: AbortSignal): Promise<void> {
    return sleep(this.realMs(moduleMs), signal);
  }

  /** Timers that die together, e.g. everything one power-on of the module has scheduled. */
  group(): TimerGroup {
    return new TimerGroup(this);
  }

  /** Drops every pending timer (the simulator is shutting down). */
  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}

/**
 * A set of timers with one lifetime. A power cut or a reset cancels the group of the module's
 * current "life", so nothing that life scheduled (a URC, an answer, a registration) happens later.
 */
export class TimerGroup {
  readonly #clock: SimClock;
  readonly #controller = new AbortController();
  readonly #timers = new Set<SimTimer>();

  constructor(clock: SimClock) {
    this.#clock = clock;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get active(): boolean {
    return !this.#controller.signal.aborted;
  }

  /** Timers scheduled and not yet run. */
  get pending(): number {
    return this.#timers.size;
  }

  after(moduleMs: number, fn: () => void): SimTimer {
    if (!this.active) return { cancel: () => undefined };
    const timer = this.#clock.after(moduleMs, () => {
      this.#timers.delete(timer);
      fn();
    });
    this.#timers.add(timer);
    return {
      cancel: () => {
        timer.cancel();
        this.#timers.delete(timer);
      },
    };
  }

  /** Rejects with CancelledError if the group is cancelled first. */
  sleep(moduleMs: number): Promise<void> {
    return this.#clock.sleep(moduleMs, this.signal);
  }

  cancel(): void {
    if (!this.active) return;
    this.#controller.abort();
    for (const timer of this.#timers) timer.cancel();
    this.#timers.clear();
  }
}
