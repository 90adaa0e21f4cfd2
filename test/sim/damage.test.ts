// The wear and damage model (fact sheet §5.1, §8.8): ungraceful cuts eventually damage the module
// (with a fixed seed, reproducibly); cuts after POWERED DOWN never do; the damage shows as the
// field reports describe it.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isUp, newStateDir, startTestSim } from '../helpers/sim-fixture.js';

async function cutUntilDamaged(seed: number): Promise<{ cuts: number; damage: string }> {
  const t = await startTestSim({ seed });
  try {
    for (let cuts = 1; cuts <= 300; cuts++) {
      await t.sim.control.setVbat(0);
      const health = (await t.sim.control.state()).health;
      if (health.bootChain !== 'ok' || health.efs !== 'ok') {
        const wear = await t.sim.control.wear();
        assert.equal(wear.ungracefulCuts, cuts);
        return { cuts, damage: health.bootChain !== 'ok' ? 'boot-chain' : 'calibration' };
      }
      await t.sim.control.setVbat(3.8);
      await t.sim.waitFor(isUp, 20_000, `up after cut ${cuts}`);
    }
    throw new Error('300 cuts while running did no damage');
  } finally {
    await t.close();
  }
}

describe('simulated EC25: wear and damage', () => {
  it('repeated VBAT cuts while running eventually damage it, and the same seed replays the same story', async () => {
    const first = await cutUntilDamaged(20261123);
    assert.ok(first.cuts > 1, `damaged at cut ${first.cuts}`);
    const again = await cutUntilDamaged(20261123);
    assert.deepEqual(again, first);
  });

  it('cuts after POWERED DOWN never damage it', async () => {
    const t = await startTestSim({ seed: 7 });
    try {
      for (let i = 0; i < 20; i++) {
        await t.sim.control.pressPwrkey(700);
        await t.sim.waitFor((s) => s.mode === 'off' && !s.pins.status.running, 20_000, 'POWERED DOWN');
        await t.sim.control.setVbat(0);
        await t.sim.control.setVbat(3.8);
        await t.sim.waitFor(isUp, 20_000, 'up again');
      }
      const wear = await t.sim.control.wear();
      assert.equal(wear.ungracefulCuts, 0);
      assert.equal(wear.gracefulPowerOffs, 20);
      assert.deepEqual((await t.sim.control.state()).health, { efs: 'ok', bootChain: 'ok' });
    } finally {
      await t.close();
    }
  });

  it('a cut in EDL is harmless (no NV, STATUS not running)', async () => {
    const t = await startTestSim({ seed: 7 });
    try {
      await t.sim.control.setUsbBoot('high');
      await t.sim.control.pulseReset(300);
      await t.sim.waitFor((s) => s.mode === 'edl', 20_000, 'EDL');
      await t.sim.control.setVbat(0);
      assert.equal((await t.sim.control.wear()).ungracefulCuts, 0);
    } finally {
      await t.close();
    }
  });

  it('lost calibration: +CFUN: 5, AT+CFUN=1 → +CME ERROR: 3, +CSQ: 99,99 (QFORUM/56770)', async () => {
    const dir = await newStateDir();
    try {
      const first = await startTestSim({ stateDir: dir, off: true }, true);
      await first.close();
      const record = JSON.parse(await readFile(join(dir, 'module.json'), 'utf8')) as { health: Record<string, string> };
      record.health = { efs: 'calibration-lost', bootChain: 'ok' };
      await writeFile(join(dir, 'module.json'), JSON.stringify(record));
      const t = await startTestSim({ stateDir: dir }, true);
      try {
        await t.sim.waitFor((s) => s.firmware.sim === 'ready' && t.sim.module.baseband.initStat === 7, 20_000, 'SIM init');
        const port = await t.openPort('at');
        assert.equal(await port.command('AT+CFUN?'), 'AT+CFUN?\r\r\n+CFUN: 5\r\n\r\nOK\r\n');
        assert.equal(await port.command('AT+CFUN=1'), 'AT+CFUN=1\r\r\n+CME ERROR: 3\r\n');
        assert.equal(await port.command('AT+CSQ'), 'AT+CSQ\r\r\n+CSQ: 99,99\r\n\r\nOK\r\n');
        assert.equal(await port.command('AT+CREG?'), 'AT+CREG?\r\r\n+CREG: 0,0\r\n\r\nOK\r\n');
        assert.equal(await port.command('AT+CPIN?'), 'AT+CPIN?\r\r\n+CPIN: READY\r\n\r\nOK\r\n');
        assert.equal(t.sim.state().pins.netStatus.pattern, 'off');
      } finally {
        await t.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a corrupt boot chain: every power-on ends in EDL 05c6:9008 with USB_BOOT low, until something repairs it', async () => {
    const dir = await newStateDir();
    try {
      const first = await startTestSim({ stateDir: dir, off: true }, true);
      await first.close();
      const record = JSON.parse(await readFile(join(dir, 'module.json'), 'utf8')) as { health: Record<string, string> };
      record.health = { efs: 'ok', bootChain: 'corrupt' };
      await writeFile(join(dir, 'module.json'), JSON.stringify(record));
      const t = await startTestSim({ stateDir: dir }, true);
      try {
        let state = t.sim.state();
        assert.equal(state.mode, 'edl');
        assert.equal(state.usb.id, '05c6:9008');
        assert.equal(state.pins.usbBoot.level, 'low');
        assert.equal(state.pins.status.running, false);
        await t.sim.control.setVbat(0);
        await t.sim.control.setVbat(3.8);
        state = await t.sim.waitFor((s) => s.mode === 'edl' && s.usb.id !== null, 20_000, 'EDL again');
        assert.equal(state.usb.id, '05c6:9008');
        // Health is what the NAND holds: writing the boot chain back (as a reflash would) repairs it.
        t.sim.module.flash.writeFirmware(t.sim.module.identity);
        await t.sim.control.pulseReset(300);
        await t.sim.waitFor(isUp, 20_000, 'normal after repair');
      } finally {
        await t.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
