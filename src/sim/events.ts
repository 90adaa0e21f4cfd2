// What happened to the module, in order: pin pulses (also the out-of-spec ones), power events,
// damage. The control API serves it (GET /v1/events) and the logger gets each line.
import type { Logger, LogLevel } from '../core/logger.js';
import type { SimClock } from './clock.js';

export interface SimEvent {
  readonly seq: number;
  /** Module ms since the simulator started. */
  readonly t: number;
  readonly kind: string;
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export class EventLog {
  readonly #clock: SimClock;
  readonly #logger: Logger;
  readonly #events: SimEvent[] = [];
  readonly #capacity: number;
  #seq = 0;

  constructor(clock: SimClock, logger: Logger, capacity = 1000) {
    this.#clock = clock;
    this.#logger = logger;
    this.#capacity = capacity;
  }

  add(kind: string, message: string, data?: Readonly<Record<string, unknown>>, level: LogLevel = 'info'): void {
    this.#seq += 1;
    const event: SimEvent = { seq: this.#seq, t: Math.round(this.#clock.now()), kind, message, ...(data === undefined ? {} : { data }) };
    this.#events.push(event);
    if (this.#events.length > this.#capacity) this.#events.shift();
    this.#logger.log({ level, message: `sim: ${message}`, fields: { kind, ...data } });
  }

  since(seq = 0): SimEvent[] {
    return this.#events.filter((event) => event.seq > seq);
  }
}
