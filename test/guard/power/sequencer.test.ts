import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { journalEvents, simGuard } from '../sim-guard.js';

describe('power sequences against a simulated EC25', () => {
  it('powers an off module on (VBAT, PWRKEY ≥ 500 ms, STATUS, RDY) and records a power-on boot', async () => {
    const guard = await simGuard();
    assert.equal(guard.sim.state().mode, 'off');
    const result = await guard.sequencer.powerOn('power-on');
    assert.equal(result.alreadyRunning, false);
    const state = guard.sim.state();
    assert.equal(state.mode, 'normal');
    assert.equal(state.firmware.rdy, true);
    const events = await journalEvents(guard.journal);
    assert.deepEqual(events.map((event) => event.type), ['boot']);
    assert.equal(events[0]?.data['reason'], 'power-on');
    const wear = await guard.sim.control.wear();
    assert.equal(wear.shortPwrkeyPulses, 0, 'the press was long enough');
  });

  it('a second power-on of a running module leaves PWRKEY alone (a press would stop it)', async () => {
    const guard = await simGuard();
    await guard.sequencer.powerOn('power-on');
    const before = await guard.sim.control.events();
    const again = await guard.sequencer.powerOn('power-on');
    assert.equal(again.alreadyRunning, true);
    const after = await guard.sim.control.events((before.at(-1)?.seq ?? 0));
    assert.equal(after.filter((event) => event.kind.startsWith('pwrkey')).length, 0);
    assert.equal(guard.sim.state().mode, 'normal');
  });

  it('powers down gracefully: AT+QPOWD, POWERED DOWN, STATUS released, only then VBAT off', async () => {
    const guard = await simGuard();
    await guard.sequencer.powerOn('power-on');
    const result = await guard.sequencer.powerOff('test');
    assert.equal(result.method, 'qpowd');
    assert.equal(result.vbatCut, true);
    const state = guard.sim.state();
    assert.equal(state.mode, 'off');
    assert.ok(state.vbat.supplyVolts < 2.5, 'VBAT is off');
    const wear = await guard.sim.control.wear();
    assert.equal(wear.ungracefulCuts, 0);
    assert.equal(wear.gracefulPowerOffs, 1);
    const events = await journalEvents(guard.journal);
    const shutdown = events.find((event) => event.type === 'shutdown-graceful');
    assert.ok(shutdown);
    assert.equal(shutdown.data['method'], 'qpowd');
    assert.equal(shutdown.data['confirmedBy'], 'powered-down-urc');
  });

  it('falls back to PWRKEY when AT is silent, and still cuts nothing ungracefully', async () => {
    const guard = await simGuard({ extra: '[timings]\nqpowd_timeout_ms = 5000' });
    await guard.sequencer.powerOn('power-on');
    await guard.sim.control.addFault('at-silent');
    const result = await guard.sequencer.powerOff('test');
    assert.equal(result.method, 'pwrkey');
    assert.deepEqual(result.failed.map((entry) => entry.method), ['qpowd']);
    assert.equal(guard.sim.state().mode, 'off');
    const wear = await guard.sim.control.wear();
    assert.equal(wear.ungracefulCuts, 0);
    const events = await journalEvents(guard.journal);
    const shutdown = events.find((event) => event.type === 'shutdown-graceful');
    assert.ok(shutdown);
    assert.equal(shutdown.data['method'], 'pwrkey');
    assert.equal(shutdown.data['confirmedBy'], 'status-pin');
  });

  it('the next boot after a graceful power-off records no ungraceful power loss', async () => {
    const guard = await simGuard();
    await guard.sequencer.powerOn('power-on');
    await guard.sequencer.powerOff('test');
    await guard.sequencer.powerOn('power-on');
    const types = (await journalEvents(guard.journal)).map((event) => event.type);
    assert.deepEqual(types, ['boot', 'shutdown-graceful', 'boot']);
  });

  it('a VBAT cut behind the guard\'s back shows up as power-loss-ungraceful at the next boot', async () => {
    const guard = await simGuard();
    await guard.sequencer.powerOn('power-on');
    await guard.sim.control.setVbat(0);
    await guard.at.drop();
    await guard.sequencer.powerOn('power-on');
    const types = (await journalEvents(guard.journal)).map((event) => event.type);
    assert.deepEqual(types, ['boot', 'boot', 'power-loss-ungraceful']);
  });
});
