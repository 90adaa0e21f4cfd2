import { join } from 'node:path';
import { sleep } from '../../core/time.js';
import { silentLogger } from '../../core/logger.js';
import { sampleVbat } from '../../guard/agent/index.js';
import { scaledClock, startAtProxy } from '../../guard/proxy/index.js';
import type { WearCounters } from '../../sim/wear.js';
import { startSimulator, type RunningSimulator } from '../../sim/simulator.js';
import { CfunApp } from './cfun-app.js';
import { SimulatedDays } from './demo-clock.js';
import { createRng, type Rng } from '../../core/rng.js';
import type { Habit } from './habits.js';
import type { Technician } from './technician.js';
import { openUnitGuard, type UnitGuard } from './unit-guard.js';

// One unit of the demo fleet: a simulated EC25 with its guard, living `days` simulated days by
// its habit. What the fleet learns about it is only what the guard records and uplinks.

/** Bench supplies (the simulator's model: VBAT at the pins = supply − current × source resistance). */
const SUPPLY = {
  good: { volts: 3.8, ohms: 0.05 },
  // A worn supply that still carries an LTE attach burst (650 mA on the EC25-A: 3.4 − 0.16 V)…
  weak: { volts: 3.4, ohms: 0.25 },
  // …until its resistance rises (a cold battery, a corroded connector): the attach burst takes it
  // under the 3.2 V brown-out threshold (electrical.ts, UNVERIFIED), and idle sits near 3.33 V.
  sagOhms: 1.2,
} as const;

export interface DemoUnitSpec {
  readonly id: string;
  readonly habit: Habit;
  readonly imei: string;
  readonly revision: string;
  readonly seed: number;
  readonly secret: string;
}

export interface DemoUnitContext {
  readonly dir: string;
  readonly timeScale: number;
  readonly firstDay: Date;
  readonly days: number;
  readonly serverUrl: string;
  readonly technician: Technician;
  /** A rework log line to import into the fleet server. */
  readonly onRework: (line: string) => Promise<void>;
  readonly onProgress: (unit: DemoUnitSpec, message: string) => void;
}

export interface DemoUnitOutcome {
  readonly id: string;
  readonly habit: Habit;
  readonly reflashes: number;
  readonly daysInEdl: number;
  readonly wear: WearCounters;
  readonly events: number;
}

interface UnitState {
  running: boolean;
  recordedGeneration: number;
  /** The day the guard found the module in 9008; undefined when it is not there. */
  edlSince: number | undefined;
  technicianDelay: number;
  reflashes: number;
  daysInEdl: number;
}

export async function runDemoUnit(spec: DemoUnitSpec, context: DemoUnitContext): Promise<DemoUnitOutcome> {
  const unitDir = join(context.dir, spec.id);
  const weak = spec.habit === 'weak-supply';
  const supply = weak ? SUPPLY.weak : SUPPLY.good;
  const sim = await startSimulator({ timeScale: context.timeScale, seed: spec.seed, off: true, stateDir: join(unitDir, 'sim'), model: 'EC25-A', revision: spec.revision, imei: spec.imei });
  let guard: UnitGuard | undefined;
  try {
    await sim.control.setVbat(supply.volts, supply.ohms);
    const clock = new SimulatedDays(context.firstDay, context.timeScale);
    guard = await openUnitGuard({ unit: spec.id, dir: unitDir, simStateDir: sim.info.stateDir, timeScale: context.timeScale, supplyVolts: supply.volts, clock, uplink: { url: context.serverUrl, secret: spec.secret } });
    const rng = createRng(spec.seed);
    const state: UnitState = { running: false, recordedGeneration: -1, edlSince: undefined, technicianDelay: 1, reflashes: 0, daysInEdl: 0 };
    const day = new UnitDay({ spec, context, sim, guard, clock, rng, state });
    for (let index = 0; index < context.days; index++) {
      clock.startDay(index);
      await day.live(index);
      if ((index + 1) % 10 === 0 || index + 1 === context.days) context.onProgress(spec, `day ${index + 1}/${context.days}${state.edlSince === undefined ? '' : ' (in 9008)'}${state.reflashes > 0 ? `, reflashed ${state.reflashes}×` : ''}`);
    }
    const wear = await sim.control.wear();
    await guard.journal.flush();
    return { id: spec.id, habit: spec.habit, reflashes: state.reflashes, daysInEdl: state.daysInEdl, wear, events: guard.journal.durableSeq };
  } finally {
    await guard?.close().catch(() => undefined);
    await sim.stop();
  }
}

interface UnitDayParts {
  readonly spec: DemoUnitSpec;
  readonly context: DemoUnitContext;
  readonly sim: RunningSimulator;
  readonly guard: UnitGuard;
  readonly clock: SimulatedDays;
  readonly rng: Rng;
  readonly state: UnitState;
}

/** Real ms for module ms, never under a few ms (HTTP round trips to the simulator cost that anyway). */
function realMs(parts: UnitDayParts, moduleMs: number): number {
  return Math.max(5, moduleMs * parts.context.timeScale);
}

class UnitDay {
  readonly #parts: UnitDayParts;

  constructor(parts: UnitDayParts) {
    this.#parts = parts;
    // The agent's rule (guard-agent.ts): RDY while the guard runs no sequence is a restart nobody asked for.
    parts.guard.at.onUrc((urc) => {
      if (urc.name === 'ready' && parts.state.running && !parts.guard.sequencer.busy) void this.#unexpectedRestart('RDY while the guard had not asked for a restart');
    });
  }

  async live(day: number): Promise<void> {
    const { state, spec } = this.#parts;
    if (state.edlSince !== undefined) {
      state.daysInEdl++;
      if (day - state.edlSince < state.technicianDelay) return;
      await this.#reflash(day);
    }
    const sagDay = spec.habit === 'weak-supply' && this.#parts.rng.next() < 0.35;
    if (!(await this.#morning())) return;
    if (sagDay && !(await this.#sag())) return;
    await this.#traffic();
    await this.#sampleVbat();
    if (sagDay) await this.#idleSag();
    if (spec.habit === 'cycles-cfun') await this.#cycleCfun(this.#parts.rng.int(8, 16));
    await this.#sampleVbat();
    await this.#evening();
  }

  /** Power-on per the guard's sequence; false when the module did not come up (the ladder ran). */
  async #morning(): Promise<boolean> {
    const { guard, state } = this.#parts;
    // The agent's bring-up: a module that enumerates as 9008 is reported, not power-cycled.
    if ((await guard.usb()).mode === 'edl') return this.#ladder('found in EDL at power-on');
    try {
      const result = await guard.sequencer.powerOn('power-on');
      if (result.alreadyRunning && guard.journal.bootSession === undefined) await guard.journal.startBootSession('unknown', 'found running');
    } catch {
      return this.#ladder('power-on failed');
    }
    state.running = true;
    state.recordedGeneration = guard.at.generation;
    return true;
  }

  async #ladder(trigger: string): Promise<boolean> {
    const { guard, state, clock } = this.#parts;
    state.running = false;
    const outcome = await guard.ladder.run(trigger).catch(() => ({ result: 'gave-up' as const }));
    if (outcome.result === 'in-edl') {
      state.edlSince = clock.day;
      state.technicianDelay = this.#parts.rng.int(1, 2);
      return false;
    }
    if (outcome.result === 'recovered') {
      state.running = true;
      state.recordedGeneration = guard.at.generation;
      return true;
    }
    return false;
  }

  async #unexpectedRestart(detail: string): Promise<void> {
    const { guard, state } = this.#parts;
    if (state.recordedGeneration === guard.at.generation) return;
    state.recordedGeneration = guard.at.generation;
    await guard.journal.startBootSession('unexpected-rdy', detail).catch(() => undefined);
  }

  /**
   * A weak-supply day: the source resistance rises (a cold battery, a corroded connector) and the
   * application reconnects (AT+CFUN=0/1 through the proxy); the LTE attach burst then browns the
   * module out, once or twice, until the supply recovers.
   */
  async #sag(): Promise<boolean> {
    const { sim, rng } = this.#parts;
    const wanted = (await sim.control.wear()).brownouts + rng.int(1, 2);
    await sim.control.setVbat(SUPPLY.weak.volts, SUPPLY.sagOhms);
    await this.#cycleCfun(1);
    const until = Date.now() + 4000;
    while ((await sim.control.wear()).brownouts < wanted && Date.now() < until) await sleep(5);
    await sim.control.setVbat(SUPPLY.weak.volts, SUPPLY.weak.ohms);
    return this.#settle('the AT port went away and came back: the module restarted without being asked');
  }

  /** Waits for the module to run again (or to end up in 9008); records what the guard saw. */
  async #settle(detail: string): Promise<boolean> {
    const { sim, guard } = this.#parts;
    const settled = await sim.waitFor((now) => now.mode === 'edl' || (now.mode === 'normal' && now.firmware.rdy), 20_000, 'the module to settle').catch(() => undefined);
    if (settled === undefined || settled.mode === 'edl') {
      await guard.at.drop();
      return this.#ladder('the module restarted and did not come back');
    }
    // The agent's probe: a client on the port of the boot before the brown-out answers nothing.
    const stale = await guard.at.client();
    const alive = await stale?.send('AT', { timeoutMs: 500 }).then(() => true, () => false);
    if (alive !== true) await guard.at.drop();
    if ((await guard.at.client()) !== undefined) await this.#unexpectedRestart(detail);
    return true;
  }

  async #traffic(): Promise<void> {
    const client = await this.#parts.guard.at.client();
    if (client === undefined) return;
    for (const command of ['AT+CSQ', 'AT+CREG?', 'AT+COPS?']) await client.send(command, { timeoutMs: 2000 }).catch(() => undefined);
  }

  /** The agent's own AT+CBC sample: vbat-sample, and vbat-dip under the threshold. */
  async #sampleVbat(): Promise<void> {
    const { guard } = this.#parts;
    const client = await guard.at.client();
    if (client === undefined || guard.journal.bootSession === undefined) return;
    await sampleVbat(client, guard.journal, guard.config.vbat, silentLogger);
  }

  /** The weak supply sags with the module idle: a reading under the dip threshold, no brown-out. */
  async #idleSag(): Promise<void> {
    const { sim } = this.#parts;
    await sim.control.setVbat(SUPPLY.weak.volts, SUPPLY.sagOhms);
    await this.#sampleVbat();
    await sim.control.setVbat(SUPPLY.weak.volts, SUPPLY.weak.ohms);
  }

  async #cycleCfun(toggles: number): Promise<void> {
    const { guard, context, spec } = this.#parts;
    const upstream = await guard.at.client();
    const policy = guard.config.proxy?.policy;
    if (upstream === undefined || policy === undefined) return;
    const socketPath = join(context.dir, spec.id, 'at.sock');
    const proxy = await startAtProxy({ upstream, journal: guard.journal, stateDir: guard.config.journal.dir, apps: [], policy, socketPath, clock: scaledClock(context.timeScale) });
    try {
      const app = await CfunApp.connect(socketPath);
      try {
        await app.toggle(toggles, Math.max(2000, realMs(this.#parts, 30_000)));
      } finally {
        app.close();
      }
    } catch {
      // A module that stopped answering mid-day: the evening sequence still runs.
    } finally {
      await proxy.close();
    }
  }

  async #evening(): Promise<void> {
    const { guard, sim, state, spec } = this.#parts;
    state.running = false;
    if (spec.habit === 'cuts-power') {
      // Behind the guard's back: the product's battery is pulled while the module runs.
      await sim.control.setVbat(0);
      await guard.at.drop();
      return;
    }
    await guard.sequencer.powerOff('end of the day').catch(() => undefined);
  }

  async #reflash(day: number): Promise<void> {
    const { guard, sim, spec, context, state, clock } = this.#parts;
    await guard.at.drop();
    const { reworkLine } = await context.technician.reflash({ sim, imei: spec.imei, revision: spec.revision, time: clock.wallTime(), workDir: join(context.dir, spec.id) });
    state.reflashes++;
    state.edlSince = undefined;
    await context.onRework(reworkLine);
    context.onProgress(spec, `day ${day + 1}: reflashed by the technician (was in 9008)`);
    // The flash ends with a reset; the agent records the module back in normal mode this way.
    const back = await sim.waitFor((now) => now.mode === 'normal' && now.firmware.rdy, 60_000, 'the module to boot after the reflash').catch(() => undefined);
    if (back !== undefined && (await guard.at.client()) !== undefined) await guard.journal.startBootSession('recovered-from-edl', 'back in normal mode after a reflash');
    // The technician hands it back switched off, in order.
    await guard.sequencer.powerOff('technician').catch(() => undefined);
  }
}
