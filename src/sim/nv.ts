// NV (EFS) writes: counted, and each keeps the flash busy for a short window during which a power
// cut is worse (wear.ts has the model and its assumptions).
import type { TimerGroup } from './clock.js';
import type { EventLog } from './events.js';
import type { FaultSet } from './faults.js';
import type { ModuleStore } from './state-store.js';
import { NV_WRITE_MS, NV_WRITE_STALLED_MS } from './wear.js';

export class NvFlash {
  #busy = 0;
  readonly #store: ModuleStore;
  readonly #faults: FaultSet;
  readonly #events: EventLog;
  readonly #changed: () => void;

  constructor(store: ModuleStore, faults: FaultSet, events: EventLog, changed: () => void) {
    this.#store = store;
    this.#faults = faults;
    this.#events = events;
    this.#changed = changed;
  }

  get busy(): boolean {
    return this.#busy > 0;
  }

  /**
   * One NV write of `what`, in the firmware's `life`. Resolves when the write is committed; the
   * caller applies the new value only then. Rejects if the life ends first (the write is lost).
   */
  async write(life: TimerGroup, what: string): Promise<void> {
    this.#store.record.wear.nvWrites += 1;
    this.#store.save();
    this.#busy += 1;
    this.#events.add('nv-write', `NV write: ${what}`, { what, total: this.#store.record.wear.nvWrites }, 'debug');
    this.#changed();
    try {
      await life.sleep(this.#faults.has('nv-write-stall') ? NV_WRITE_STALLED_MS : NV_WRITE_MS);
    } finally {
      this.#busy -= 1;
      this.#changed();
    }
  }
}
