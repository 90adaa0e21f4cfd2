import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BudgetStore } from '../../../src/guard/recovery/budget-store.js';
import { RecoveryLadder } from '../../../src/guard/recovery/ladder.js';
import { usbProbe } from '../../../src/guard/power/usb-presence.js';
import { journalEvents, simGuard, type SimGuard } from '../sim-guard.js';

const BUDGETS = `
[recovery.budgets.cfun_reset]
max = 1
window_s = 2592000
[recovery.budgets.pwrkey_cycle]
max = 1
window_s = 2592000
[recovery.budgets.vbat_cycle]
max = 1
window_s = 2592000
`;

async function ladderOf(guard: SimGuard): Promise<RecoveryLadder> {
  const budgets = await BudgetStore.open(guard.config.journal.dir, guard.config.recovery.budgets, { timeScale: guard.config.timeScale });
  return new RecoveryLadder({ sequencer: guard.sequencer, at: guard.at, budgets, journal: guard.journal, usb: usbProbe({ sysfsRoot: guard.config.module.sysfsRoot }), probeTimeoutMs: 500 });
}

describe('the recovery ladder on a simulated module', () => {
  it('brings a module whose AT went silent back with the mildest step, AT+CFUN=1,1', async () => {
    const guard = await simGuard({ timeScale: 0.002, extra: BUDGETS });
    await guard.sequencer.powerOn('power-on');
    // A module that crashed into silence but still takes AT+CFUN=1,1 is not modelled; a reset
    // of a healthy one shows the step and its records.
    const outcome = await (await ladderOf(guard)).run('test: AT silent');
    assert.deepEqual(outcome, { result: 'recovered', step: 'cfun-reset' });
    const events = await journalEvents(guard.journal);
    assert.deepEqual(events.map((event) => event.type), ['boot', 'shutdown-graceful', 'boot', 'recovery-step']);
    assert.equal(events[2]?.data['reason'], 'requested-reset');
    assert.deepEqual(events[3]?.data, { step: 'cfun-reset', outcome: 'recovered', trigger: 'test: AT silent', budgetLeft: 0 });
  });

  it('keeps to its budget when AT stays silent: each step at most once in the window, then gives up — and cuts nothing ungracefully', { timeout: 120_000 }, async () => {
    const guard = await simGuard({ timeScale: 0.002, extra: `${BUDGETS}\n[timings]\nqpowd_timeout_ms = 5000` });
    await guard.sequencer.powerOn('power-on');
    await guard.sim.control.addFault('at-silent');
    const wearBefore = await guard.sim.control.wear();
    const first = await (await ladderOf(guard)).run('AT silent for 3 probes');
    assert.equal(first.result, 'gave-up');
    // A restarted guard reads the same budgets from the journal directory.
    const second = await (await ladderOf(guard)).run('AT silent for 3 probes');
    assert.deepEqual(second, { result: 'gave-up', reason: 'every step\'s budget is spent' });
    const wear = await guard.sim.control.wear();
    assert.equal(wear.boots - wearBefore.boots, 2, 'one PWRKEY cycle and one VBAT cycle, no more');
    assert.equal(wear.ungracefulCuts, 0);
    const steps = (await journalEvents(guard.journal)).filter((event) => event.type === 'recovery-step').map((event) => `${String(event.data['step'])}:${String(event.data['outcome'])}`);
    assert.deepEqual(steps, ['cfun-reset:failed', 'pwrkey-cycle:failed', 'vbat-cycle:failed', 'cfun-reset:rate-limited', 'pwrkey-cycle:rate-limited', 'vbat-cycle:rate-limited']);
  });

  it('reports a module in EDL 9008 and does not power-cycle it', async () => {
    const guard = await simGuard({ timeScale: 0.002, extra: BUDGETS });
    await guard.sim.control.setUsbBoot('high');
    await assert.rejects(guard.sequencer.powerOn('power-on'), { code: 'GUARD_POWER_ON_FAILED' });
    await guard.sim.waitFor((state) => state.usb.id === '05c6:9008', 10_000, 'EDL enumeration');
    await guard.journal.startBootSession('unknown', 'test');
    const bootsBefore = (await guard.sim.control.wear()).boots;
    const outcome = await (await ladderOf(guard)).run('AT silent');
    assert.deepEqual(outcome, { result: 'in-edl', usbId: '05c6:9008' });
    assert.equal((await guard.sim.control.wear()).boots, bootsBefore, 'no power cycle');
    const edl = (await journalEvents(guard.journal)).filter((event) => event.type === 'module-in-edl');
    assert.equal(edl.length, 1);
    assert.equal(edl[0]?.data['usbId'], '05c6:9008');
  });
});
