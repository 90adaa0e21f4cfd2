// The garbage fault: bursts of random bytes (seeded) on the AT port, as a noisy line or firmware
// debug output would produce. Ticks only while the fault is on and the port exists.
import type { SimClock, SimTimer } from './clock.js';
import type { DevicePty } from '../core/pty/pty-host.js';
import type { Rng } from '../core/rng.js';

const EVERY_MS = 300;

export class NoiseSource {
  readonly #clock: SimClock;
  readonly #rng: Rng;
  readonly #active: () => boolean;
  #pty: DevicePty | undefined;
  #timer: SimTimer | undefined;

  constructor(clock: SimClock, rng: Rng, active: () => boolean) {
    this.#clock = clock;
    this.#rng = rng;
    this.#active = active;
  }

  attach(pty: DevicePty): void {
    this.#pty = pty;
    this.refresh();
  }

  detach(): void {
    this.#pty = undefined;
    this.refresh();
  }

  /** Starts or stops the bursts to match the fault and the port. */
  refresh(): void {
    const wanted = this.#pty !== undefined && this.#active();
    if (wanted && this.#timer === undefined) this.#schedule();
    if (!wanted && this.#timer !== undefined) {
      this.#timer.cancel();
      this.#timer = undefined;
    }
  }

  #schedule(): void {
    this.#timer = this.#clock.after(EVERY_MS, () => {
      this.#timer = undefined;
      if (this.#pty === undefined || !this.#active()) return;
      this.#pty.write(this.#rng.bytes(this.#rng.int(1, 24)));
      this.#schedule();
    });
  }
}
