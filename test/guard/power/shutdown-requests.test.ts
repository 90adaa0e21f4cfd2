import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { journalEvents, simGuard } from '../sim-guard.js';

// Issue #5: "1,000 simulated shutdown requests → zero ungraceful cuts recorded by the simulator".
// The suite runs a smaller count (each request is a full boot and shutdown of the simulated
// module); the count runs with MEDIC_GUARD_SHUTDOWN_CYCLES=1000 (several minutes here).
const CYCLES = Number(process.env['MEDIC_GUARD_SHUTDOWN_CYCLES'] ?? 20);

describe(`${CYCLES} shutdown requests through the guard's sequences`, () => {
  it('leave zero ungraceful cuts on the simulated module, and the journal sees no power loss', { timeout: Math.max(120_000, CYCLES * 2000) }, async () => {
    const guard = await simGuard({ timeScale: 0.001 });
    const before = await guard.sim.control.wear();
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      await guard.sequencer.powerOn('power-on');
      const off = await guard.sequencer.powerOff('test');
      assert.equal(off.graceful, true, `request ${cycle + 1} was graceful: ${JSON.stringify(off)}`);
    }
    const wear = await guard.sim.control.wear();
    assert.equal(wear.ungracefulCuts - before.ungracefulCuts, 0);
    assert.equal(wear.cutsDuringNvWrite - before.cutsDuringNvWrite, 0);
    assert.equal(wear.gracefulPowerOffs - before.gracefulPowerOffs, CYCLES);
    const types = (await journalEvents(guard.journal)).map((event) => event.type);
    assert.equal(types.filter((type) => type === 'power-loss-ungraceful').length, 0);
    assert.equal(types.filter((type) => type === 'shutdown-graceful').length, CYCLES);
  });
});
