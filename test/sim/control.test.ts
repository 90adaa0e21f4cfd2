// The control interface over real HTTP: pins, VBAT, pulses, faults, wear, events, bad input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMedicError } from '../../src/core/errors.js';
import { SimControlClient } from '../../src/sim/control/client.js';
import { isSettled, isUp, startTestSim } from '../helpers/sim-fixture.js';

describe('simulated EC25: control interface', () => {
  it('reports pins, supply and current of a running module; VBAT sags with source resistance', async () => {
    const t = await startTestSim();
    try {
      const client = new SimControlClient(t.sim.info.control);
      await t.sim.waitFor(isSettled(t.sim), 20_000, 'settled');
      let state = await client.state();
      assert.equal(state.mode, 'normal');
      assert.equal(state.pins.status.running, true);
      assert.equal(state.pins.status.level, 'low');
      assert.equal(state.pins.vddExt.volts, 1.8);
      assert.equal(state.pins.pwrkey.level, 'high');
      assert.equal(state.pins.resetN.level, 'high');
      assert.equal(state.pins.usbBoot.level, 'low');
      assert.equal(state.pins.netStatus.pattern, 'registered');
      assert.equal(state.currentMa, 60);
      assert.equal(state.vbat.supplyVolts, 3.8);
      assert.equal(state.vbat.volts, 3.797);
      assert.equal(state.firmware.operator, 'AT&T');
      state = await client.setVbat(3.8, 0.5);
      assert.equal(state.vbat.volts, 3.77);
      assert.equal(state.mode, 'normal');
      const info = await client.info();
      assert.equal(info.control, t.sim.info.control);
      assert.equal(info.stateDir, t.dir);
    } finally {
      await t.close();
    }
  });

  it('NET_STATUS level follows the blink pattern over time', async () => {
    const t = await startTestSim();
    try {
      await t.sim.waitFor(isSettled(t.sim), 20_000, 'settled');
      const levels = new Set<string>();
      const until = Date.now() + 10_000;
      while (levels.size < 2 && Date.now() < until) {
        levels.add(t.sim.state().pins.netStatus.level);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      assert.deepEqual([...levels].sort(), ['high', 'low']);
    } finally {
      await t.close();
    }
  });

  it('RESET_N: a pulse in the 150–460 ms window resets; shorter does nothing; longer resets but is out of spec — all recorded', async () => {
    const t = await startTestSim();
    try {
      const client = t.sim.control;
      let state = await client.pulseReset(50);
      assert.equal(state.mode, 'normal');
      let wear = await client.wear();
      assert.equal(wear.outOfSpecResetPulses, 1);
      assert.equal(wear.resets, 0);
      await client.pulseReset(300);
      state = await t.sim.waitFor(isUp, 20_000, 'up after reset');
      wear = await client.wear();
      assert.equal(wear.resets, 1);
      assert.equal(wear.outOfSpecResetPulses, 1);
      assert.equal(wear.boots, 2);
      await client.pulseReset(600);
      await t.sim.waitFor(isUp, 20_000, 'up after a long reset');
      wear = await client.wear();
      assert.equal(wear.resets, 2);
      assert.equal(wear.outOfSpecResetPulses, 2);
      const kinds = (await client.events()).map((e) => e.kind);
      assert.ok(kinds.includes('reset-short'));
      assert.equal(kinds.filter((k) => k === 'reset-pulse').length, 2);
      // Holding RESET_N keeps the module down.
      state = await client.setResetN('low');
      state = await t.sim.waitFor((s) => s.mode === 'reset' && s.usb.id === null, 10_000, 'held in reset, off USB');
      assert.deepEqual(state.usb.ports, {});
      assert.equal(state.pins.status.running, false);
      await client.setResetN('high');
      await t.sim.waitFor(isUp, 20_000, 'up after release');
    } finally {
      await t.close();
    }
  });

  it('cutting VBAT while running is an ungraceful cut; the board powers the module on again when VBAT returns', async () => {
    const t = await startTestSim();
    try {
      const state = await t.sim.control.setVbat(0);
      assert.equal(state.mode, 'off');
      assert.equal(state.pins.vddExt.volts, 0);
      assert.equal(state.pins.status.running, false);
      assert.equal(state.currentMa, 0);
      assert.equal((await t.sim.control.wear()).ungracefulCuts, 1);
      await t.sim.control.setVbat(3.8);
      await t.sim.waitFor((s) => s.mode === 'normal' || s.mode === 'edl', 20_000, 'powered again');
    } finally {
      await t.close();
    }
  });

  it('fault at-silent: no echo, no answer; cleared: answers again', async () => {
    const t = await startTestSim();
    try {
      await t.sim.waitFor(isSettled(t.sim), 20_000, 'settled');
      const port = await t.openPort('at');
      const state = await t.sim.control.addFault('at-silent');
      assert.deepEqual(state.faults, ['at-silent']);
      const from = port.mark();
      await port.send('AT\r');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(port.text.slice(from), '');
      await t.sim.control.clearFaults('at-silent');
      assert.equal(await port.command('AT'), 'AT\r\r\nOK\r\n');
    } finally {
      await t.close();
    }
  });

  it('fault garbage: noise bytes arrive unasked on the AT port; AT still works between them', async () => {
    const t = await startTestSim();
    try {
      await t.sim.waitFor(isSettled(t.sim), 20_000, 'settled');
      const port = await t.openPort('at');
      const from = port.mark();
      await t.sim.control.addFault('garbage');
      await port.waitFor(/[\s\S]{8}/, 10_000, from, 'noise');
      await t.sim.control.clearFaults();
      assert.deepEqual((await t.sim.control.state()).faults, []);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.match(await port.command('AT'), /AT\r\r\nOK\r\n$/);
    } finally {
      await t.close();
    }
  });

  it('fault nv-write-stall: a QCFG write stays in flight; cutting VBAT then counts a cut during an NV write', async () => {
    const t = await startTestSim();
    try {
      await t.sim.waitFor(isSettled(t.sim), 20_000, 'settled');
      const port = await t.openPort('at');
      await t.sim.control.addFault('nv-write-stall');
      await port.send('AT+QCFG="ledmode",0\r');
      await t.sim.waitFor((s) => s.firmware.nvWriting, 10_000, 'the NV write');
      await t.sim.control.setVbat(0);
      await port.waitForEnd();
      assert.doesNotMatch(port.text, /OK\r\n$/);
      const wear = await t.sim.control.wear();
      assert.equal(wear.cutsDuringNvWrite, 1);
      assert.equal(wear.ungracefulCuts, 1);
    } finally {
      await t.close();
    }
  });

  it('fault unexpected-reset: USB drops and the module comes back by itself; counted', async () => {
    const t = await startTestSim();
    try {
      await t.sim.waitFor(isSettled(t.sim), 20_000, 'settled');
      const port = await t.openPort('at');
      await t.sim.control.addFault('unexpected-reset');
      await port.waitForEnd();
      await t.sim.waitFor(isUp, 20_000, 'up again');
      const wear = await t.sim.control.wear();
      assert.equal(wear.unexpectedResets, 1);
      assert.equal(wear.resets, 1);
      assert.equal(wear.boots, 2);
      assert.deepEqual((await t.sim.control.state()).faults, [], 'an event leaves nothing to clear');
    } finally {
      await t.close();
    }
  });

  it('fault brown-out: the module resets and is counted', async () => {
    const t = await startTestSim();
    try {
      await t.sim.control.addFault('brown-out');
      await t.sim.waitFor((s) => s.mode !== 'off' && s.mode !== 'reset', 20_000, 'back');
      const wear = await t.sim.control.wear();
      assert.equal(wear.brownouts, 1);
      assert.equal(wear.resets, 1);
    } finally {
      await t.close();
    }
  });

  it('rejects bad input with a 400 and a hint, unknown routes with 404', async () => {
    const t = await startTestSim();
    try {
      const client = t.sim.control;
      const check = (code: string) => (error: unknown): boolean => isMedicError(error) && error.code === code;
      await assert.rejects(client.setVbat(Number.NaN), check('USAGE'));
      await assert.rejects(client.setVbat(9), check('USAGE'));
      await assert.rejects(client.pressPwrkey(-5), check('USAGE'));
      await assert.rejects(client.addFault('melt' as 'garbage'), (error: unknown) => isMedicError(error) && error.code === 'USAGE' && /at-silent/.test(error.hint ?? ''));
      const url = t.sim.info.control;
      let response = await fetch(`${url}/v1/vbat`, { method: 'PUT', body: '{nope' });
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'USAGE');
      response = await fetch(`${url}/v1/pins/pwrkey`, { method: 'PUT', body: JSON.stringify({ level: 'middle' }) });
      assert.equal(response.status, 400);
      response = await fetch(`${url}/v1/nothing`);
      assert.equal(response.status, 404);
      response = await fetch(`${url}/v1/state`, { method: 'DELETE' });
      assert.equal(response.status, 405);
      response = await fetch(`${url}/v1/faults/brown-out`, { method: 'DELETE' });
      assert.equal(response.status, 400);
      const faults = await client.faults();
      assert.deepEqual(Object.keys(faults.available).sort(), ['at-silent', 'brown-out', 'garbage', 'nv-write-stall', 'unexpected-reset']);
    } finally {
      await t.close();
    }
  });

  it('a client pointed at nothing says the simulator is not reachable', async () => {
    const client = new SimControlClient('http://127.0.0.1:9', { timeoutMs: 2000 });
    await assert.rejects(client.state(), (error: unknown) => isMedicError(error) && error.code === 'SIM_CONTROL_UNREACHABLE' && typeof error.hint === 'string');
    await assert.rejects(SimControlClient.fromStateDir('/nonexistent-medic-dir'), (error: unknown) => isMedicError(error) && error.code === 'SIM_NOT_RUNNING');
  });
});
