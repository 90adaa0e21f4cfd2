import assert from 'node:assert/strict';
import { after } from 'node:test';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/sim/simulator.js';

const running: RunningSimulator[] = [];
// Registered when a test file imports this helper, so the hook belongs to the file, not to
// whichever test happens to start the first simulator.
after(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop()));
});

/**
 * A simulator booted to normal mode with RDY out, stopped when the test file ends. For tests of
 * host-side commands that need a module on a real pty.
 */
export async function bootedSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ timeScale: 0.01, seed: 7, ...options });
  running.push(sim);
  await sim.waitFor((state) => state.mode === 'normal' && state.firmware.rdy, 20_000, 'the module to boot');
  return sim;
}

/** The AT port the simulated module shows the host now. */
export function atPortOf(sim: RunningSimulator): string {
  const port = sim.info.ports.at;
  assert.ok(port, 'the simulator exposes an AT port');
  return port;
}
