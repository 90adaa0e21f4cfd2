import { defaultClock, type JournalClock } from '../../guard/journal/journal-options.js';

// The journal's wall clock for a simulated unit: day k of the demo is the calendar day k after
// `firstDay`, and within a day module time passes (real ms ÷ time scale) from 07:00, capped at
// 23:00. So a run of a few minutes leaves a journal that spans months, as the fleet server and its
// analytics (rates per month, silent after N days) expect of a real unit.

const DAY_MS = 24 * 60 * 60 * 1000;
const MORNING_MS = 7 * 60 * 60 * 1000;
const EVENING_MS = 23 * 60 * 60 * 1000;

export class SimulatedDays implements JournalClock {
  readonly #firstDay: number;
  readonly #scale: number;
  #day = 0;
  #dayStartedReal = Date.now();

  /** `firstDay`: midnight (UTC) of day 0; `scale`: the simulator's time scale. */
  constructor(firstDay: Date, scale: number) {
    this.#firstDay = firstDay.getTime();
    this.#scale = scale;
  }

  get day(): number {
    return this.#day;
  }

  startDay(day: number): void {
    this.#day = day;
    this.#dayStartedReal = Date.now();
  }

  wallTime(): Date {
    const moduleMs = (Date.now() - this.#dayStartedReal) / this.#scale;
    return new Date(this.#firstDay + this.#day * DAY_MS + Math.min(MORNING_MS + moduleMs, EVENING_MS));
  }

  monoMs(): number {
    return defaultClock.monoMs();
  }
}

/** Midnight UTC `days` days before `now`: day 0 of a demo that ends today. */
export function firstDayOf(days: number, now = new Date()): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(midnight - days * DAY_MS);
}
