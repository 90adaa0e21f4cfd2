// Issue #5: "The same load with and without the guard: the old way (cutting VBAT at once, CFUN
// cycling) damages the simulated module within N cycles; under the guard it does not." The load of
// one cycle: the application switches the radio off and on (AT+CFUN=0, AT+CFUN=1) and then the
// product shuts down. The old way cuts VBAT as soon as the application has sent its last
// AT+CFUN=0: the module is still running (at real speed often inside the NV write that command
// causes, quectel-ec25.md §5.1; at this time scale the 60 ms write window is too short to hit).
// The damage model is the simulator's (src/sim/wear.ts: assumptions, seeded draws), the same for
// both runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startAtProxy } from '../../src/guard/proxy/index.js';
import { startSimulator } from '../../src/sim/simulator.js';
import type { RunningSimulator } from '../../src/sim/simulator.js';
import type { SimState } from '../../src/sim/control/api.js';
import { SimAtPort } from '../helpers/sim-at-port.js';
import { tempDir } from '../helpers/wait.js';
import { simGuard } from './sim-guard.js';

const CYCLES = 12;
const TIME_SCALE = 0.002;
const healthy = (state: SimState): boolean => state.health.efs === 'ok' && state.health.bootChain === 'ok';

async function oldWayCycle(sim: RunningSimulator): Promise<void> {
  // The board powers the module on with VBAT (PWRKEY tied low, as many products do).
  await sim.control.setVbat(3.8);
  // A damaged module does not come up (9008, or a boot stage that hangs): its health says why.
  const up = await sim.waitFor((state) => state.mode === 'edl' || (state.mode === 'normal' && state.firmware.rdy), 5_000, 'the module to boot').catch(() => undefined);
  if (up?.mode !== 'normal') return;
  const port = await SimAtPort.open(sim.info.ports.at ?? assert.fail('an AT port'));
  try {
    await port.command('AT+CFUN=0');
    await port.command('AT+CFUN=1');
    await port.send('AT+CFUN=0\r');
    // The product's shutdown: VBAT off now.
    await sim.control.setVbat(0);
  } finally {
    await port.close().catch(() => undefined);
  }
  await sim.waitFor((state) => state.mode === 'off', 20_000, 'the module to lose power');
}

describe(`the same load, ${CYCLES} cycles, without and with the guard`, () => {
  it('the old way damages the simulated module within a few cycles', { timeout: 120_000 }, async () => {
    await using dir = await tempDir('medic-oldway-');
    const sim = await startSimulator({ timeScale: TIME_SCALE, seed: 3, stateDir: dir.path });
    try {
      // Start from a module that was powered down in order.
      await sim.waitFor((state) => state.mode === 'normal' && state.firmware.rdy, 20_000, 'the first boot');
      const port = await SimAtPort.open(sim.info.ports.at ?? assert.fail('an AT port'));
      await port.command('AT+QPOWD=1');
      await port.close();
      await sim.waitFor((state) => state.mode === 'off', 20_000, 'POWERED DOWN');
      await sim.control.setVbat(0);
      let damagedAfter: number | undefined;
      for (let cycle = 1; cycle <= CYCLES && damagedAfter === undefined; cycle++) {
        await oldWayCycle(sim);
        if (!healthy(sim.state())) damagedAfter = cycle;
      }
      const wear = await sim.control.wear();
      assert.ok(damagedAfter !== undefined, `no damage in ${CYCLES} cycles (wear ${JSON.stringify(wear)})`);
      assert.ok(wear.ungracefulCuts >= damagedAfter, `every old-way cycle ended in an ungraceful cut (wear ${JSON.stringify(wear)})`);
    } finally {
      await sim.stop();
    }
  });

  it('under the guard the module sees no ungraceful cut and stays healthy', { timeout: 180_000 }, async () => {
    const guard = await simGuard({ timeScale: TIME_SCALE });
    const before = await guard.sim.control.wear();
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      await guard.sequencer.powerOn('power-on');
      const upstream = await guard.at.client() ?? assert.fail('an AT client once the module runs');
      const proxy = await startAtProxy({ upstream, journal: guard.journal, stateDir: guard.dir });
      const app = await SimAtPort.open(proxy.ptyPath ?? assert.fail('the proxy offers a pty'));
      try {
        // The same application: off, on, off — the guard's budget decides what reaches the module.
        await app.command('AT+CFUN=0');
        await app.command('AT+CFUN=1');
        await app.command('AT+CFUN=0');
      } finally {
        await app.close();
        await proxy.close();
      }
      // The product's shutdown, through the guard: QPOWD, STATUS, only then VBAT.
      const off = await guard.sequencer.powerOff('app');
      assert.equal(off.graceful, true, `cycle ${cycle}: ${JSON.stringify(off)}`);
      assert.ok(healthy(guard.sim.state()), `cycle ${cycle}: ${JSON.stringify(guard.sim.state().health)}`);
    }
    const wear = await guard.sim.control.wear();
    assert.equal(wear.ungracefulCuts - before.ungracefulCuts, 0);
    assert.equal(wear.cutsDuringNvWrite - before.cutsDuringNvWrite, 0);
    // The default budget (6 changes an hour) held the application's 36 requests to 6.
    assert.ok(wear.cfunTransitions - before.cfunTransitions <= 6, `${wear.cfunTransitions - before.cfunTransitions} CFUN changes reached the module`);
  });
});
