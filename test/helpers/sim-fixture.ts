// Starts a simulator for a test in a fresh state directory and takes it down again.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimState } from '../../src/sim/control/api.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/sim/simulator.js';
import { SimAtPort } from './sim-at-port.js';

export interface TestSim {
  readonly sim: RunningSimulator;
  readonly dir: string;
  /** Opens the AT-capable port `role` the host sees now. */
  openPort(role?: 'at' | 'modem'): Promise<SimAtPort>;
  /** Stops the simulator, closes opened ports, removes the state directory. */
  close(): Promise<void>;
}

/** A fresh state directory (kept by `close` only when `keep`). */
export async function newStateDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'medic-simtest-'));
}

export async function startTestSim(options: SimulatorOptions = {}, keepDir = false): Promise<TestSim> {
  const dir = options.stateDir ?? (await newStateDir());
  const sim = await startSimulator({ timeScale: 0.005, seed: 7, ...options, stateDir: dir });
  const ports: SimAtPort[] = [];
  return {
    sim,
    dir,
    openPort: async (role = 'at') => {
      const path = sim.info.ports[role];
      if (path === undefined) throw new Error(`the module shows no ${role} port (mode ${sim.info.mode})`);
      const port = await SimAtPort.open(path);
      ports.push(port);
      return port;
    },
    close: async () => {
      for (const port of ports) await port.close().catch(() => undefined);
      await sim.stop();
      if (!keepDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Registered, SIM and phonebook/SMS init done, no burst in progress: answers are stable. */
export function isSettled(sim: RunningSimulator): (state: SimState) => boolean {
  return (state) => state.mode === 'normal' && state.firmware.registration === 1 && sim.module.baseband.initStat === 7 && sim.module.baseband.tx === undefined;
}

/** Back in normal mode with RDY out (after a reset, a brown-out, a power cycle). */
export function isUp(state: SimState): boolean {
  return state.mode === 'normal' && state.firmware.rdy;
}
