// The boot timeline and the power-off, as the host sees them: pins on the control interface,
// the USB device appearing, RDY and the boot URCs in order on the AT pty, POWERED DOWN, hang-up.
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SimAtPort } from '../helpers/sim-at-port.js';
import { isSettled, startTestSim } from '../helpers/sim-fixture.js';

/** Opens the AT port as soon as the USB device shows it (before RDY, with a slow enough scale). */
async function openAtWhenItAppears(t: Awaited<ReturnType<typeof startTestSim>>): Promise<{ port: SimAtPort; rdyBeforeOpen: boolean }> {
  const state = await t.sim.waitFor((s) => s.usb.ports.at !== undefined, 30_000, 'the AT port');
  const port = await SimAtPort.open(state.usb.ports.at ?? '');
  return { port, rdyBeforeOpen: t.sim.state().firmware.rdy };
}

describe('simulated EC25: boot and power-off', () => {
  it('stays off with --off, ignores a short PWRKEY pulse (recorded), boots on ≥ 500 ms: STATUS, VDD_EXT, USB, RDY, boot URCs in order', async () => {
    // A slower scale than elsewhere: the test has to open the port between USB (~11 s) and RDY (~12.5 s).
    const t = await startTestSim({ off: true, timeScale: 0.2 });
    try {
      let state = t.sim.state();
      assert.equal(state.mode, 'off');
      assert.deepEqual(state.usb.ports, {});
      assert.equal(state.pins.status.running, false);
      assert.equal(state.pins.status.level, 'high');
      assert.equal(state.pins.vddExt.volts, 0);
      assert.equal(state.pins.netStatus.level, 'low');
      assert.ok(state.currentMa < 1, `off current ${state.currentMa} mA`);
      await assert.rejects(access(join(t.dir, 'sys/bus/usb/devices/1-1')));

      state = await t.sim.control.pressPwrkey(200);
      assert.equal(state.mode, 'off');
      assert.equal((await t.sim.control.wear()).shortPwrkeyPulses, 1);
      assert.ok((await t.sim.control.events()).some((e) => e.kind === 'pwrkey-short'));

      state = await t.sim.control.pressPwrkey(600);
      assert.equal(state.mode, 'booting');
      assert.equal(state.pins.vddExt.volts, 1.8);
      const running = await t.sim.waitFor((s) => s.pins.status.running, 30_000, 'STATUS');
      assert.equal(running.pins.status.level, 'low');
      assert.deepEqual(running.usb.ports, {}, 'STATUS comes long before USB');

      const { port, rdyBeforeOpen } = await openAtWhenItAppears(t);
      try {
        const from = port.mark();
        if (!rdyBeforeOpen) await port.send('AT\r');
        const boot = await port.waitFor(/\r\nRDY\r\n[\s\S]*?\r\n\+CFUN: 1\r\n[\s\S]*?\r\n\+CPIN: READY\r\n[\s\S]*?\r\n\+QIND: SMS DONE\r\n[\s\S]*?\r\n\+QIND: PB DONE\r\n/, 30_000, from, 'the boot URCs');
        if (!rdyBeforeOpen) assert.equal(boot.index, 0, 'before RDY the port says nothing, not even the echo');
        assert.equal(port.text.slice(from).slice(0, boot[0].length), '\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\n+QIND: SMS DONE\r\n\r\n+QIND: PB DONE\r\n');
        assert.equal(await port.command('AT'), 'AT\r\r\nOK\r\n');
        const up = await t.sim.waitFor((s) => s.firmware.registration === 1, 30_000, 'registration');
        assert.equal(up.pins.netStatus.pattern, 'registered');
        assert.equal(up.pins.netStatus.highMs, 1800);
        assert.equal(up.pins.netStatus.lowMs, 200);
        assert.equal((await t.sim.control.wear()).boots, 1);
      } finally {
        await port.close();
      }
    } finally {
      await t.close();
    }
  });

  it('AT+QPOWD=1: OK, then POWERED DOWN after the detach, then STATUS released, VDD_EXT 0, USB gone and a hang-up', async () => {
    const t = await startTestSim();
    try {
      await t.sim.waitFor(isSettled(t.sim), 20_000, 'the boot URCs to be over');
      const port = await t.openPort('at');
      assert.equal(await port.command('AT+QPOWD=1'), 'AT+QPOWD=1\r\r\nOK\r\n');
      assert.equal(t.sim.state().mode, 'shutting-down');
      assert.equal(t.sim.state().pins.status.running, true, 'STATUS still says running during the detach');
      const from = port.mark();
      await port.waitFor(/\r\nPOWERED DOWN\r\n/, 30_000, from);
      const ended = await port.waitForEnd(10_000);
      assert.match(ended.message, /went away/);
      const state = await t.sim.waitFor((s) => s.mode === 'off' && s.usb.id === null, 10_000, 'off');
      assert.equal(state.pins.status.running, false);
      assert.equal(state.pins.status.level, 'high');
      assert.equal(state.pins.vddExt.volts, 0);
      assert.equal(state.pins.netStatus.level, 'low');
      assert.deepEqual(state.usb.ports, {});
      await assert.rejects(access(join(t.dir, 'dev/ttyUSB2')));
      await assert.rejects(access(join(t.dir, 'sys/bus/usb/devices/1-1')));
      const wear = await t.sim.control.wear();
      assert.equal(wear.gracefulPowerOffs, 1);
      assert.equal(wear.ungracefulCuts, 0);
    } finally {
      await t.close();
    }
  });

  it('AT+QPOWD=0 powers down quickly, still with POWERED DOWN', async () => {
    const t = await startTestSim();
    try {
      await t.sim.waitFor(isSettled(t.sim), 20_000, 'the boot URCs to be over');
      const port = await t.openPort('at');
      assert.equal(await port.command('AT+QPOWD=0'), 'AT+QPOWD=0\r\r\nOK\r\n');
      await port.waitFor(/\r\nPOWERED DOWN\r\n/, 30_000);
      await port.waitForEnd(10_000);
      await t.sim.waitFor((s) => s.mode === 'off', 10_000, 'off');
    } finally {
      await t.close();
    }
  });

  it('PWRKEY ≥ 650 ms while running powers off with POWERED DOWN; a shorter press is ignored and recorded', async () => {
    const t = await startTestSim();
    try {
      await t.sim.waitFor(isSettled(t.sim), 20_000, 'the boot URCs to be over');
      const port = await t.openPort('at');
      let state = await t.sim.control.pressPwrkey(300);
      assert.equal(state.mode, 'normal');
      assert.equal((await t.sim.control.wear()).shortPwrkeyPulses, 1);
      state = await t.sim.control.pressPwrkey(800);
      assert.ok(state.mode === 'shutting-down' || state.mode === 'off', state.mode);
      await port.waitFor(/\r\nPOWERED DOWN\r\n/, 30_000);
      await port.waitForEnd(10_000);
      await t.sim.waitFor((s) => s.mode === 'off' && !s.pins.status.running, 10_000, 'off');
      // PWRKEY again: it comes back.
      await t.sim.control.pressPwrkey(600);
      await t.sim.waitFor((s) => s.mode === 'normal' && s.firmware.rdy, 30_000, 'back up');
    } finally {
      await t.close();
    }
  });

  it('AT+QCFG="fast/poweroff",1: PWRKEY powers off without POWERED DOWN', async () => {
    const t = await startTestSim();
    try {
      await t.sim.waitFor(isSettled(t.sim), 20_000, 'the boot URCs to be over');
      const port = await t.openPort('at');
      assert.equal(await port.command('AT+QCFG="fast/poweroff",1'), 'AT+QCFG="fast/poweroff",1\r\r\nOK\r\n');
      const from = port.mark();
      await t.sim.control.pressPwrkey(700);
      await port.waitForEnd(10_000);
      assert.doesNotMatch(port.text.slice(from), /POWERED DOWN/);
      await t.sim.waitFor((s) => s.mode === 'off', 10_000, 'off');
    } finally {
      await t.close();
    }
  });
});
