import type { FlashPhase } from '../plan/steps.js';
import { monotonicMs } from '../../core/time.js';

// One progress stream for a whole run (a terminal bar, --json lines): bytes moved over the link
// out of the plan's total (plan/totals.ts), the rate so far and an ETA from it. Erases move no
// bytes; they show as their phase with the count unchanged.

export type ExecutionPhase = 'connect' | FlashPhase;

export interface FlashProgress {
  readonly phase: ExecutionPhase;
  /** The partition the current step reads or writes, when known. */
  readonly partition: string | undefined;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** Over the run so far; 0 until bytes have moved. */
  readonly bytesPerSecond: number;
  /** undefined until a rate is known. */
  readonly etaSeconds: number | undefined;
  /** The step being run: 1-based index, count, and its one-line description. */
  readonly step: { readonly index: number; readonly count: number; readonly description: string } | undefined;
}

export type ProgressListener = (progress: FlashProgress) => void;

export class ProgressTracker {
  readonly #listener: ProgressListener | undefined;
  readonly #total: number;
  readonly #count: number;
  readonly #now: () => number;
  #started: number;
  #done = 0;
  #stepBase = 0;
  #phase: ExecutionPhase = 'connect';
  #partition: string | undefined;
  #step: FlashProgress['step'];

  constructor(listener: ProgressListener | undefined, total: number, count: number, now: () => number = monotonicMs) {
    this.#listener = listener;
    this.#total = total;
    this.#count = count;
    this.#now = now;
    this.#started = now();
  }

  get bytesDone(): number {
    return this.#done;
  }

  /** Restarts the clock: the rate counts from the first step, not from the connection. */
  restartClock(): void {
    this.#started = this.#now();
  }

  beginStep(index: number, phase: ExecutionPhase, description: string, partition: string | undefined): void {
    this.#stepBase = this.#done;
    this.#phase = phase;
    this.#partition = partition;
    this.#step = { index: index + 1, count: this.#count, description };
    this.#emit();
  }

  /** Bytes of the current step so far (from the client's own progress). */
  stepBytes(bytes: number): void {
    this.#done = this.#stepBase + bytes;
    this.#emit();
  }

  /** The step moved exactly `bytes` in total (its planned size), whatever was reported. */
  endStep(bytes: number): void {
    this.#done = this.#stepBase + bytes;
    this.#emit();
  }

  #emit(): void {
    if (this.#listener === undefined) return;
    const seconds = (this.#now() - this.#started) / 1000;
    const rate = seconds > 0 ? this.#done / seconds : 0;
    const remaining = Math.max(0, this.#total - this.#done);
    this.#listener({
      phase: this.#phase,
      partition: this.#partition,
      bytesDone: this.#done,
      bytesTotal: this.#total,
      bytesPerSecond: rate,
      etaSeconds: rate > 0 ? remaining / rate : undefined,
      step: this.#step,
    });
  }
}
