// How long the NAND cells take. The sheet's SLC figures (edl sheet §4): page program 200 µs
// typical (Micron 300 µs typ / 700 µs max), block erase 2 ms typical. Page read time is not in the
// sheet — 25 µs is the usual SLC datasheet figure, UNVERIFIED. A "slow NAND" scenario raises these.
import type { ModuleSleep } from './module-time.js';

export interface NandTiming {
  readonly pageProgramUs: number;
  readonly blockEraseUs: number;
  readonly pageReadUs: number;
}

/** What the chip was busy with: bench/flash tells NAND time from link time with it. */
export type NandOperation = 'program' | 'erase' | 'read';

export const TYPICAL_NAND_TIMING: NandTiming = { pageProgramUs: 200, blockEraseUs: 2000, pageReadUs: 25 };

/** Sleeping per page would cost a timer per 4 KiB; busy time is collected and paid in slices. */
const SLICE_MODULE_MS = 5;

/**
 * Busy time of the chip. Operations charge it; `settle()` waits it out in module time. The
 * running total (`elapsedUs`) is what the programmer's benchmark reports.
 */
export class NandBusyTime {
  #timing: NandTiming;
  readonly #sleep: ModuleSleep;
  #owedUs = 0;
  #elapsedUs = 0;
  readonly #byOperationUs: Record<NandOperation, number> = { program: 0, erase: 0, read: 0 };
  #unchargedDepth = 0;

  constructor(timing: NandTiming, sleep: ModuleSleep) {
    this.#timing = timing;
    this.#sleep = sleep;
  }

  get timing(): NandTiming {
    return this.#timing;
  }

  /** A slower (or faster) chip from now on: the simulator's "slow NAND" fault. */
  setTiming(patch: Partial<NandTiming>): void {
    this.#timing = { ...this.#timing, ...patch };
  }

  get elapsedUs(): number {
    return this.#elapsedUs;
  }

  /** Busy time per kind of operation since the chip was made (module µs). */
  get byOperationUs(): Readonly<Record<NandOperation, number>> {
    return { ...this.#byOperationUs };
  }

  /**
   * Runs `work` without billing the chip: what the bench does to a module (its factory image, a
   * scenario's damage) and the boot verdict's look at the NAND take no device time. Otherwise it
   * would be owed and paid at the next settle, inside the first EDL command of a flash.
   */
  uncharged<T>(work: () => T): T {
    this.#unchargedDepth += 1;
    try {
      return work();
    } finally {
      this.#unchargedDepth -= 1;
    }
  }

  charge(us: number, operation: NandOperation): void {
    if (this.#unchargedDepth > 0) return;
    this.#owedUs += us;
    this.#elapsedUs += us;
    this.#byOperationUs[operation] += us;
  }

  /** Waits for the busy time owed so far, once it is worth a timer (or when `force`). */
  async settle(force = false): Promise<void> {
    if (this.#owedUs <= 0) return;
    if (!force && this.#owedUs < SLICE_MODULE_MS * 1000) return;
    const ms = this.#owedUs / 1000;
    this.#owedUs = 0;
    await this.#sleep(ms);
  }
}
