// Every way into emergency download, and what the host and the bench see there (quectel sheet
// §1.1, §1.5, §2.4, §4.8–4.9; the field report's two cases, QFORUM/6665).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SimState } from '../../../src/sim/control/api.js';
import { openSerial } from '../../../src/transport/serial.js';
import { hex, toHex } from '../../helpers/edl-bytes.js';
import { isUp, startTestSim, type TestSim } from '../../helpers/sim-fixture.js';

const read = (path: string): Promise<string> => readFile(path, 'utf8');

/** The 9008 view of §4.9 and §1.1: one port on qcserial, ~42 mA at 3.8 V, STATUS / NET_STATUS dead, VDD_EXT 1.8 V. */
async function assertEdlView(t: TestSim, state: SimState): Promise<void> {
  assert.equal(state.mode, 'edl');
  assert.equal(state.usb.id, '05c6:9008');
  assert.deepEqual(Object.keys(state.usb.ports), ['edl']);
  assert.equal(state.usb.ports.edl, join(t.dir, 'dev/ttyUSB0'));
  assert.equal(state.currentMa, 42);
  assert.ok(Math.abs(state.vbat.volts - 3.8) < 0.01, `VBAT ${state.vbat.volts}`);
  assert.equal(state.pins.status.running, false);
  assert.equal(state.pins.netStatus.pattern, 'off');
  assert.equal(state.pins.netStatus.level, 'low');
  assert.equal(state.pins.vddExt.volts, 1.8);
  const devices = join(t.dir, 'sys/bus/usb/devices');
  assert.equal(await read(join(devices, '1-1/idVendor')), '05c6\n');
  assert.equal(await read(join(devices, '1-1/idProduct')), '9008\n');
  assert.equal(await read(join(devices, '1-1/bNumInterfaces')), ' 1\n');
}

const inEdl = (s: SimState): boolean => s.mode === 'edl' && s.usb.ports.edl !== undefined;

/** VBAT off until the host has seen the device go, then on again (the board powers the module on). */
async function powerCycle(t: TestSim, between?: () => Promise<unknown>): Promise<void> {
  await t.sim.control.setVbat(0);
  await t.sim.waitFor((s) => s.usb.id === null, 20_000, 'USB gone');
  await between?.();
  await t.sim.control.setVbat(3.8);
}

describe('simulated EC25: into emergency download', () => {
  it('edl-corrupt: a torn sbl on the NAND → 9008 at every power-on with USB_BOOT low', async () => {
    const t = await startTestSim({ scenario: 'edl-corrupt' });
    try {
      const state = await t.sim.waitFor(inEdl, 20_000, 'EDL');
      await assertEdlView(t, state);
      assert.equal(state.pins.usbBoot.level, 'low');
      assert.deepEqual(state.health, { efs: 'ok', bootChain: 'corrupt' });
      await powerCycle(t);
      await assertEdlView(t, await t.sim.waitFor(inEdl, 20_000, 'EDL after a power cycle'));
    } finally {
      await t.close();
    }
  });

  it('usb-boot-stuck: 9008 with intact firmware; released and power-cycled, it boots normally', async () => {
    const t = await startTestSim({ scenario: 'usb-boot-stuck' });
    try {
      const state = await t.sim.waitFor(inEdl, 20_000, 'EDL');
      await assertEdlView(t, state);
      assert.equal(state.pins.usbBoot.level, 'high');
      assert.deepEqual(state.health, { efs: 'ok', bootChain: 'ok' });
      await t.sim.control.setUsbBoot('low');
      await powerCycle(t);
      const up = await t.sim.waitFor(isUp, 20_000, 'normal');
      assert.equal(up.usb.id, '2c7c:0125');
    } finally {
      await t.close();
    }
  });

  it('no-usb: no device at all, 55–170 mA wandering; only a USB_BOOT strap at power-on brings up 9008', async () => {
    const t = await startTestSim({ scenario: 'no-usb' });
    try {
      const currents = new Set<number>();
      for (let i = 0; i < 20; i++) {
        const state = t.sim.state();
        assert.equal(state.usb.id, null);
        assert.equal(state.pins.usbBoot.level, 'low');
        assert.ok(state.currentMa >= 55 && state.currentMa <= 170, `${state.currentMa} mA`);
        currents.add(Math.round(state.currentMa));
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      assert.ok(currents.size > 1, 'the current wanders');
      assert.equal(t.sim.state().health.bootChain, 'hangs');
      // A reset does not help: the same stage hangs again.
      await t.sim.control.pulseReset(300);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(t.sim.state().usb.id, null);
      await powerCycle(t, () => t.sim.control.setUsbBoot('high'));
      await assertEdlView(t, await t.sim.waitFor(inEdl, 20_000, 'EDL with the strap'));
    } finally {
      await t.close();
    }
  });

  it('the DIAG download command on the DM port: echoed, USB drops, 9008 comes back', async () => {
    const t = await startTestSim();
    try {
      const up = await t.sim.waitFor(isUp, 20_000, 'normal');
      const dm = await openSerial({ path: up.usb.ports.dm ?? '' });
      try {
        await dm.write(hex('4b65010054 0f7e'));
        let echo = Buffer.alloc(0);
        while (echo.length < 7) echo = Buffer.concat([echo, await dm.read(AbortSignal.timeout(10_000))]);
        assert.equal(toHex(echo), '4b650100540f7e');
      } finally {
        await dm.close().catch(() => undefined);
      }
      await assertEdlView(t, await t.sim.waitFor(inEdl, 20_000, 'EDL after the DIAG switch'));
      assert.equal(t.sim.state().pins.usbBoot.level, 'low');
      // Nothing on the NAND changed: a reset boots normally again.
      await t.sim.control.pulseReset(300);
      await t.sim.waitFor(isUp, 20_000, 'normal after a reset');
    } finally {
      await t.close();
    }
  });
});
