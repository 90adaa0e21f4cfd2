// The calibration scenarios of the field reports: what the NAND's efs2 holds decides CFUN
// (quectel sheet §5.1: QFORUM/56770, QFORUM/58100).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestSim } from '../../helpers/sim-fixture.js';

describe('simulated EC25: calibration on the NAND', () => {
  it('calibration-lost: efs2 erased → +CFUN: 5, AT+CFUN=1 → +CME ERROR: 3', async () => {
    const t = await startTestSim({ scenario: 'calibration-lost' });
    try {
      await t.sim.waitFor((s) => s.mode === 'normal' && s.firmware.cfun === 5 && t.sim.module.baseband.initStat === 7, 20_000, 'FTM, SIM init done');
      assert.deepEqual(t.sim.state().health, { efs: 'calibration-lost', bootChain: 'ok' });
      const port = await t.openPort('at');
      assert.equal(await port.command('AT+CFUN?'), 'AT+CFUN?\r\r\n+CFUN: 5\r\n\r\nOK\r\n');
      assert.equal(await port.command('AT+CFUN=1'), 'AT+CFUN=1\r\r\n+CME ERROR: 3\r\n');
    } finally {
      await t.close();
    }
  });

  it('wrong-baseline: calibrated for R05, running R06 → +CFUN: 7, AT+CFUN=1 → +CME ERROR: 0; AT+GMR shows the flashed image', async () => {
    const t = await startTestSim({ scenario: 'wrong-baseline' });
    try {
      await t.sim.waitFor((s) => s.mode === 'normal' && s.firmware.cfun === 7 && t.sim.module.baseband.initStat === 7, 20_000, '+CFUN: 7, SIM init done');
      assert.deepEqual(t.sim.state().health, { efs: 'wrong-baseline', bootChain: 'ok' });
      const port = await t.openPort('at');
      assert.equal(await port.command('AT+CFUN?'), 'AT+CFUN?\r\r\n+CFUN: 7\r\n\r\nOK\r\n');
      assert.equal(await port.command('AT+CFUN=1'), 'AT+CFUN=1\r\r\n+CME ERROR: 0\r\n');
      assert.equal(await port.command('AT+GMR'), 'AT+GMR\r\r\nEC25AFAR06A04M4G\r\n\r\nOK\r\n');
      assert.equal(await port.command('AT+QGMR'), 'AT+QGMR\r\r\nEC25AFAR06A04M4G_01.001.01.001\r\n\r\nOK\r\n');
    } finally {
      await t.close();
    }
  });
});
