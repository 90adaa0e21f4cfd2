import { join } from 'node:path';
import { sleep } from '../../core/time.js';
import type { WearCounters } from '../../sim/wear.js';
import { startSimulator, type RunningSimulator } from '../../sim/simulator.js';
import { CfunApp } from './cfun-app.js';
import { SimulatedDays } from './demo-clock.js';
import { createRng, type Rng } from '../../core/rng.js';
import type { Habit } from './habits.js';
import type { Technician } from './technician.js';
import type { GuardDay } from './guard-day.js';
import { UnitGuard } from './unit-guard.js';

// One unit of the demo fleet: a simulated EC25 with its guard, living `days` simulated days by
// its habit. The guard is the agent of `medic guard` (unit-guard.ts); the demo plays only the
// world around it: the supply, the product's applications, the product's power, the technician.
// What the fleet learns about the unit is only what the guard records and uplinks.

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
  /** The day the guard found the module in 9008; undefined when it is not there. */
  edlSince: number | undefined;
  technicianDelay: number;
  reflashes: number;
  daysInEdl: number;
}

/** Real ms the guard may take to bring a module up, or to find it in 9008 (power-on deadlines, then the ladder). */
const BRING_UP_MS = 60_000;

export async function runDemoUnit(spec: DemoUnitSpec, context: DemoUnitContext): Promise<DemoUnitOutcome> {
  const unitDir = join(context.dir, spec.id);
  const weak = spec.habit === 'weak-supply';
  const supply = weak ? SUPPLY.weak : SUPPLY.good;
  const sim = await startSimulator({ timeScale: context.timeScale, seed: spec.seed, off: true, stateDir: join(unitDir, 'sim'), model: 'EC25-A', revision: spec.revision, imei: spec.imei });
  try {
    await sim.control.setVbat(supply.volts, supply.ohms);
    const clock = new SimulatedDays(context.firstDay, context.timeScale);
    const guard = new UnitGuard({ unit: spec.id, dir: unitDir, simStateDir: sim.info.stateDir, timeScale: context.timeScale, supplyVolts: supply.volts, clock, uplink: { url: context.serverUrl, secret: spec.secret } });
    const rng = createRng(spec.seed);
    const state: UnitState = { edlSince: undefined, technicianDelay: 1, reflashes: 0, daysInEdl: 0 };
    const day = new UnitDay({ spec, context, sim, guard, clock, rng, state });
    for (let index = 0; index < context.days; index++) {
      clock.startDay(index);
      await day.live(index);
      if ((index + 1) % 10 === 0 || index + 1 === context.days) context.onProgress(spec, `day ${index + 1}/${context.days}${state.edlSince === undefined ? '' : ' (in 9008)'}${state.reflashes > 0 ? `, reflashed ${state.reflashes}×` : ''}`);
    }
    const wear = await sim.control.wear();
    return { id: spec.id, habit: spec.habit, reflashes: state.reflashes, daysInEdl: state.daysInEdl, wear, events: await guard.recordedEvents() };
  } finally {
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
  }

  /** The product's host runs from morning to evening, and the guard with it. */
  async live(day: number): Promise<void> {
    const { state, spec, rng } = this.#parts;
    if (state.edlSince !== undefined) {
      state.daysInEdl++;
      // Switched off, waiting for the technician.
      if (day - state.edlSince < state.technicianDelay) return;
    }
    const sagDay = spec.habit === 'weak-supply' && rng.next() < 0.35;
    const guard = await this.#parts.guard.start();
    let evening = 'the product shuts down for the night';
    try {
      if (!(await this.#morning(guard, day))) return;
      if (sagDay && !(await this.#sag(guard))) return;
      await this.#traffic();
      if (sagDay) await this.#idleSag(guard);
      if (spec.habit === 'cycles-cfun') await this.#cycleCfun(rng.int(8, 16));
      if (spec.habit === 'cuts-power') {
        // Behind the guard's back: the product's battery is pulled while the module runs. The
        // guard then finds it off, so nothing is shut down in order.
        await this.#parts.sim.control.setVbat(0);
        evening = 'the product lost power';
      }
    } finally {
      if (guard.state === 'in-edl' && state.edlSince === undefined) {
        state.edlSince = day;
        state.technicianDelay = rng.int(1, 2);
      }
      await guard.stop(evening);
    }
  }

  /** The guard's bring-up; false when the module is not running (in 9008, or the ladder gave up). */
  async #morning(guard: GuardDay, day: number): Promise<boolean> {
    const { state } = this.#parts;
    const first = await guard.waitForState(['running', 'in-edl', 'gave-up'], BRING_UP_MS);
    if (first === 'running') state.edlSince = undefined;
    if (first === 'in-edl' && state.edlSince !== undefined) return this.#reflash(guard, day);
    return first === 'running';
  }

  /**
   * A weak-supply day: the source resistance rises (a cold battery, a corroded connector) and the
   * application reconnects (AT+CFUN=0/1 through the guard's proxy); the LTE attach burst then
   * browns the module out, once or twice, until the supply recovers. The guard sees the restarts
   * (boot, unexpected-rdy) and, when the module does not come back, climbs its ladder.
   */
  async #sag(guard: GuardDay): Promise<boolean> {
    const { sim, rng } = this.#parts;
    const wanted = (await sim.control.wear()).brownouts + rng.int(1, 2);
    await sim.control.setVbat(SUPPLY.weak.volts, SUPPLY.sagOhms);
    await this.#cycleCfun(1);
    const until = Date.now() + 4000;
    while ((await sim.control.wear()).brownouts < wanted && Date.now() < until) await sleep(5);
    await sim.control.setVbat(SUPPLY.weak.volts, SUPPLY.weak.ohms);
    const settled = await sim.waitFor((now) => now.mode === 'edl' || (now.mode === 'normal' && now.firmware.rdy), 20_000, 'the module to settle').catch(() => undefined);
    if (settled?.mode === 'normal') return true;
    await guard.waitForState(['in-edl', 'gave-up'], BRING_UP_MS);
    return false;
  }

  /** The product's application at work: a few status queries through the guard's proxy. */
  async #traffic(): Promise<void> {
    await this.#withApp(async (app) => {
      for (const command of ['AT+CSQ', 'AT+CREG?', 'AT+COPS?']) await app.command(command, 2000).catch(() => undefined);
    });
  }

  /**
   * The weak supply sags with the module idle: no brown-out, but readings near or under the dip
   * threshold. Held until the guard's own AT+CBC sampling has read it once (vbat-sample, and
   * vbat-dip when under the threshold).
   */
  async #idleSag(guard: GuardDay): Promise<void> {
    const { sim } = this.#parts;
    // Idle: registered, its attach burst over (a burst on the sagging supply is a brown-out, #sag's
    // business). A module whose radio is off has no burst to wait for.
    const idle = await sim
      .waitFor((now) => now.mode === 'normal' && (now.firmware.cfun !== 1 || now.firmware.registration === 1 || now.firmware.registration === 5), 5000, 'the module idle')
      .catch(() => undefined);
    if (idle === undefined) return;
    const before = await guard.newest('vbat-sample');
    await sim.control.setVbat(SUPPLY.weak.volts, SUPPLY.sagOhms);
    const until = Date.now() + 10_000;
    while ((await guard.newest('vbat-sample')) <= before && Date.now() < until) await sleep(20);
    await sim.control.setVbat(SUPPLY.weak.volts, SUPPLY.weak.ohms);
  }

  async #cycleCfun(toggles: number): Promise<void> {
    await this.#withApp(async (app) => {
      await app.toggle(toggles, Math.max(2000, realMs(this.#parts, 30_000)));
    });
  }

  /** An application connected to the guard's AT proxy (up from the guard's first probe of the day). */
  async #withApp(work: (app: CfunApp) => Promise<void>): Promise<void> {
    const until = Date.now() + 10_000;
    let app: CfunApp | undefined;
    while (app === undefined && Date.now() < until) {
      app = await CfunApp.connect(this.#parts.guard.socketPath).catch(() => undefined);
      if (app === undefined) await sleep(10);
    }
    if (app === undefined) return;
    try {
      await work(app);
    } catch {
      // A module that stopped answering mid-day: the evening still comes.
    } finally {
      app.close();
    }
  }

  /** The technician reflashes the unit through its 9008 port while the guard watches it there. */
  async #reflash(guard: GuardDay, day: number): Promise<boolean> {
    const { sim, spec, context, state, clock } = this.#parts;
    const { reworkLine } = await context.technician.reflash({ sim, imei: spec.imei, revision: spec.revision, time: clock.wallTime(), workDir: join(context.dir, spec.id) });
    state.reflashes++;
    state.edlSince = undefined;
    await context.onRework(reworkLine);
    context.onProgress(spec, `day ${day + 1}: reflashed by the technician (was in 9008)`);
    // The flash ends with a reset: the guard finds the module back in normal mode (boot, recovered-from-edl).
    return (await guard.waitForState(['running'], BRING_UP_MS)) === 'running';
  }
}
