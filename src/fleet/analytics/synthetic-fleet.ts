import { randomUUID } from 'node:crypto';
import { createRng } from '../../core/rng.js';
import type { EventInput, RiskEvent } from '../../guard/events/index.js';
import { eventDigest } from '../ingest/index.js';
import type { FleetStore } from '../store/index.js';
import { hashSecret } from '../units/index.js';

// A fleet of units with habits — some cut power abruptly, some cycle CFUN, most behave — written
// straight into the store as the guard would have sent it: for the dashboard screenshots, the
// bench and tests that need a believable spread. It is not `medic fleet demo` (which runs
// simulated modules with real guards); the failure odds per habit are made up to look like the
// pattern the field reports describe (quectel-ec25.md §5.1), not measured.

export type Habit = 'cuts-power' | 'cycles-cfun' | 'brown-outs' | 'behaves';

export interface SyntheticFleetOptions {
  readonly units: number;
  /** Days of history before `asOf`. */
  readonly days: number;
  readonly asOf: Date;
  /** Same seed, same fleet. */
  readonly seed?: number;
  readonly idPrefix?: string;
  /** Secret every synthetic unit gets (so a demo can post as one); default a fixed one. */
  readonly secret?: string;
}

export interface SyntheticUnit {
  readonly id: string;
  readonly habit: Habit;
  readonly batch: string;
  readonly revision: string;
  readonly tags: readonly string[];
  readonly failedAt?: string;
  readonly silent: boolean;
}

export interface SyntheticFleet {
  readonly units: readonly SyntheticUnit[];
  readonly events: number;
  /** Rework-log lines (`medic log --json` format) for the units that failed into EDL: import with importRework. */
  readonly reworkLog: string;
  /** Production CSV for the units: import with importProduction. */
  readonly productionCsv: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const batches = ['B2026-07', 'B2026-08', 'B2026-09'] as const;
const revisions = ['EC25EFAR06A01M4G', 'EC25EFAR06A03M4G'] as const;
const tagSets = [['north'], ['south'], ['north', 'pilot'], ['south', 'kiosk'], []] as const;
/** Odds of ending in EDL over the history, by habit (made up, see above). */
const failOdds: Readonly<Record<Habit, number>> = { 'cuts-power': 0.6, 'cycles-cfun': 0.3, 'brown-outs': 0.2, behaves: 0.03 };

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)] as T;
}

function habitOf(next: () => number): Habit {
  const roll = next();
  return roll < 0.2 ? 'cuts-power' : roll < 0.35 ? 'cycles-cfun' : roll < 0.45 ? 'brown-outs' : 'behaves';
}

interface Timeline {
  add(at: number, input: EventInput): void;
  newBoot(): void;
  readonly events: RiskEvent[];
}

function timeline(unit: string): Timeline {
  const events: RiskEvent[] = [];
  let bootSession = randomUUID();
  return {
    events,
    add(at, input) {
      events.push({ schema: 1, unit, bootSession, seq: events.length + 1, wallTime: new Date(at).toISOString(), monoMs: at % (40 * DAY), ...input });
    },
    newBoot() {
      bootSession = randomUUID();
    },
  };
}

function unitHistory(unit: SyntheticUnit & { failAt: number | undefined; stopAt: number }, next: () => number, span: { start: number }): RiskEvent[] {
  const line = timeline(unit.id);
  const { habit } = unit;
  line.add(span.start, { type: 'boot', data: { reason: 'power-on' } });
  line.add(span.start + 1000, { type: 'firmware-revision-change', data: { to: unit.revision } });
  const bootEvery = habit === 'cuts-power' ? 2 * DAY : 9 * DAY;
  let nextBoot = span.start + bootEvery * (0.5 + next());
  for (let t = span.start + HOUR; t < unit.stopAt; t += 6 * HOUR) {
    const sag = habit === 'brown-outs' ? 250 : 0;
    line.add(t, { type: 'vbat-sample', data: { mV: Math.round(3800 - sag + (next() - 0.5) * 160), percent: 80 } });
    if (habit === 'brown-outs' && next() < 0.35) line.add(t + 60_000, { type: 'vbat-dip', data: { mV: 3150 + Math.round(next() * 100), thresholdMv: 3300, durationMs: 40 } });
    if (next() < 0.05) line.add(t + 90_000, { type: 'registration-lost', data: { stat: 2, previousStat: 1, accessTechnology: 'LTE' } });
    if (next() < 0.05) line.add(t + 200_000, { type: 'registration-regained', data: { stat: 1, accessTechnology: 'LTE', lostForMs: 110_000 } });
    const toggles = habit === 'cycles-cfun' ? 4 + Math.floor(next() * 4) : next() < 0.1 ? 1 : 0;
    for (let i = 0; i < toggles; i += 1) {
      line.add(t + 120_000 + i * 1000, { type: 'cfun-transition', data: { from: i % 2 === 0 ? 1 : 0, to: i % 2 === 0 ? 0 : 1, by: 'connman', decision: 'allowed' } });
      if (habit === 'cycles-cfun') line.add(t + 120_500 + i * 1000, { type: 'nv-write', data: { command: 'AT+QCFG="nwscanmode",3', outcome: 'written', by: 'connman' } });
    }
    if (t >= nextBoot) {
      const graceful = habit !== 'cuts-power' && next() < 0.9;
      if (graceful) line.add(t + 300_000, { type: 'shutdown-graceful', data: { method: 'qpowd', confirmedBy: 'powered-down-urc', requestedBy: 'guard', durationMs: 1800 } });
      const previous = { session: line.events[line.events.length - 1]?.bootSession ?? '', seq: line.events.length, at: t + 300_000 };
      line.newBoot();
      const reason = graceful ? 'power-on' : next() < 0.3 ? 'unexpected-rdy' : 'power-on';
      line.add(t + 360_000, { type: 'boot', data: { reason } });
      if (!graceful) line.add(t + 361_000, { type: 'power-loss-ungraceful', data: { previousBootSession: previous.session, previousLastSeq: Math.max(1, previous.seq), previousLastWallTime: new Date(previous.at).toISOString(), bootReason: reason } });
      nextBoot = t + bootEvery * (0.5 + next());
    }
    if (unit.failAt !== undefined && t >= unit.failAt) {
      line.add(t + 400_000, { type: 'module-in-edl', data: { usbId: '05c6:9008', detail: 'found in QDLoader 9008 after a power cycle' } });
      line.newBoot();
      line.add(t + 4 * HOUR, { type: 'boot', data: { reason: 'recovered-from-edl', detail: 'reflashed on the bench' } });
      unit.failAt = undefined;
    }
  }
  return line.events;
}

/** Writes the fleet into the store (units, then their events in batches); returns what it made. */
export async function seedSyntheticFleet(store: FleetStore, options: SyntheticFleetOptions): Promise<SyntheticFleet> {
  const rng = createRng(options.seed ?? 6);
  const next = (): number => rng.next();
  const credentialHash = await hashSecret(options.secret ?? 'synthetic-unit-secret-0000');
  const asOf = options.asOf.getTime();
  const start = asOf - options.days * DAY;
  const made: SyntheticUnit[] = [];
  const rework: string[] = [];
  const production = ['unit,batch,production_date,module_revision,imei'];
  let count = 0;
  for (let index = 0; index < options.units; index += 1) {
    const id = `${options.idPrefix ?? 'unit-'}${String(index + 1).padStart(4, '0')}`;
    const habit = habitOf(next);
    const batch = pick(next, batches);
    // The later revision makes cuts a little less fatal in this made-up fleet, so the revision table has something to show.
    const revision = pick(next, revisions);
    const tags = pick(next, tagSets);
    const odds = failOdds[habit] * (revision === 'EC25EFAR06A03M4G' ? 0.7 : 1);
    const failAt = next() < odds ? start + (0.3 + next() * 0.6) * options.days * DAY : undefined;
    const silent = next() < (habit === 'behaves' ? 0.02 : 0.08);
    const stopAt = silent ? asOf - (9 + next() * 10) * DAY : asOf - HOUR;
    const unit = { id, habit, batch, revision, tags, silent, ...(failAt === undefined ? {} : { failedAt: new Date(failAt).toISOString() }) };
    made.push(unit);
    await store.addUnit({ id, credentialHash, batch, tags });
    await store.setStatus(id, silent || next() < 0.1 ? 'offline' : 'online');
    const events = unitHistory({ ...unit, failAt, stopAt }, next, { start: start + next() * DAY });
    for (let from = 0; from < events.length; from += 1000) {
      await store.insertEvents(id, events.slice(from, from + 1000).map((event) => ({ event, digest: eventDigest(event) })));
    }
    count += events.length;
    const imei = `86${String(1_000_000_000_000 + index * 7919).slice(0, 13)}`;
    production.push(`${id},${batch},2026-0${batches.indexOf(batch) + 7}-15,${revision},${imei}`);
    if (failAt !== undefined) {
      rework.push(
        JSON.stringify({
          schema: 1, id: randomUUID(), time: new Date(failAt + 3 * HOUR).toISOString(), tool: { name: 'modem-medic', version: '0.1.0' }, command: 'flash',
          unit: { imei }, revision: { before: revision, after: revision }, observations: {}, actions: ['switched to EDL', 'wrote the package', 'read it back'], outcome: 'verified',
        }),
      );
    }
  }
  return { units: made, events: count, reworkLog: `${rework.join('\n')}\n`, productionCsv: `${production.join('\r\n')}\r\n` };
}
