// The module's NV/flash state lives in <stateDir>/module.json and survives restarts of the
// simulator; the environment (SIM card) does not.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMedicError } from '../../src/core/errors.js';
import { luhnCheckDigit } from '../../src/sim/identity.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { isSettled, newStateDir, startTestSim } from '../helpers/sim-fixture.js';

interface StoredModule {
  identity: { imei: string; model: string; revision: string };
  qcfg: Record<string, string[]>;
  urcport: string;
  wear: Record<string, number>;
  health: Record<string, string>;
}

async function stored(dir: string): Promise<StoredModule> {
  return JSON.parse(await readFile(join(dir, 'module.json'), 'utf8')) as StoredModule;
}

describe('simulated EC25: persistent module state', () => {
  it('keeps identity, QCFG, URC port and wear across a restart of the simulator; the ICCID comes from the run', async () => {
    const dir = await newStateDir();
    try {
      const iccidBody = '898600000000000001';
      const iccid = `${iccidBody}${luhnCheckDigit(iccidBody)}`;
      const first = await startTestSim({ stateDir: dir, iccid }, true);
      let imei: string;
      try {
        await first.sim.waitFor(isSettled(first.sim), 20_000, 'settled');
        const port = await first.openPort('at');
        assert.equal(await port.command('AT+QCCID'), `AT+QCCID\r\r\n+QCCID: ${iccid}\r\n\r\nOK\r\n`);
        assert.equal(await port.command('AT+QCFG="nwscanmode",3,1'), 'AT+QCFG="nwscanmode",3,1\r\r\nOK\r\n');
        assert.equal(await port.command('AT+QCFG="band",0x260,0x80a,0x0'), 'AT+QCFG="band",0x260,0x80a,0x0\r\r\nOK\r\n');
        assert.equal(await port.command('AT+QURCCFG="urcport","all"'), 'AT+QURCCFG="urcport","all"\r\r\nOK\r\n');
        imei = first.sim.module.identity.imei;
        assert.equal((await first.sim.control.wear()).nvWrites, 3);
      } finally {
        await first.close();
      }
      // A clean stop removes sim.json (the simulator is gone) and keeps module.json.
      await assert.rejects(readFile(join(dir, 'sim.json')));
      const saved = await stored(dir);
      assert.equal(saved.identity.imei, imei);
      assert.deepEqual(saved.qcfg['nwscanmode'], ['3']);
      assert.equal(saved.urcport, 'all');

      const second = await startTestSim({ stateDir: dir }, true);
      try {
        await second.sim.waitFor(isSettled(second.sim), 20_000, 'settled');
        const port = await second.openPort('at');
        assert.equal(await port.command('AT+CGSN'), `AT+CGSN\r\r\n${imei}\r\n\r\nOK\r\n`);
        assert.equal(await port.command('AT+QCFG="nwscanmode"'), 'AT+QCFG="nwscanmode"\r\r\n+QCFG: "nwscanmode",3\r\n\r\nOK\r\n');
        assert.equal(await port.command('AT+QURCCFG="urcport"'), 'AT+QURCCFG="urcport"\r\r\n+QURCCFG: "urcport","all"\r\n\r\nOK\r\n');
        assert.doesNotMatch(await port.command('AT+QCCID'), new RegExp(iccid));
        const after = await second.sim.control.wear();
        assert.equal(after.nvWrites, 3);
        assert.equal(after.boots, 2);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('counts a VBAT cut while running in the stored wear counters, and keeps a damaged module damaged', async () => {
    const dir = await newStateDir();
    try {
      const first = await startTestSim({ stateDir: dir }, true);
      try {
        await first.sim.control.setVbat(0);
      } finally {
        await first.close();
      }
      const record = await stored(dir);
      assert.equal(record.wear['ungracefulCuts'], 1);
      // With this seed the cut tore a page of sbl (the damage model works on the NAND): the module
      // comes back in EDL after a restart, and module.json says so.
      assert.deepEqual(record.health, { efs: 'ok', bootChain: 'corrupt' });
      const second = await startTestSim({ stateDir: dir }, true);
      try {
        assert.equal(second.sim.state().mode, 'edl');
        assert.deepEqual(second.sim.state().health, { efs: 'ok', bootChain: 'corrupt' });
      } finally {
        await second.close();
      }
      // A module.json marked damaged by hand (as older state directories are) is made true on the NAND.
      const marked = await stored(dir);
      marked.health = { efs: 'calibration-lost', bootChain: 'corrupt' };
      await writeFile(join(dir, 'module.json'), JSON.stringify(marked));
      const third = await startTestSim({ stateDir: dir }, true);
      try {
        assert.deepEqual(third.sim.state().health, { efs: 'calibration-lost', bootChain: 'corrupt' });
      } finally {
        await third.close();
      }
      assert.equal((await stored(dir)).health['efs'], 'calibration-lost');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('applies --imei / --revision / --model to a stored module and keeps them', async () => {
    const dir = await newStateDir();
    try {
      const imei = `35000000000001${luhnCheckDigit('35000000000001')}`;
      const first = await startTestSim({ stateDir: dir, model: 'EG25-G', imei }, true);
      try {
        await first.sim.waitFor(isSettled(first.sim), 20_000, 'settled');
        const port = await first.openPort('at');
        assert.equal(await port.command('ATI'), 'ATI\r\r\nQuectel\r\nEG25\r\nRevision: EG25GGBR07A08M2G\r\n\r\nOK\r\n');
      } finally {
        await first.close();
      }
      const second = await startTestSim({ stateDir: dir, revision: 'EG25GGBR07A08M2G' }, true);
      try {
        assert.equal(second.sim.module.identity.imei, imei);
        assert.equal(second.sim.module.identity.model, 'EG25-G');
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a state directory whose module.json is not ours, and bad identities, with a hint', async () => {
    const dir = await newStateDir();
    try {
      await writeFile(join(dir, 'module.json'), '{"hello": ');
      await assert.rejects(startSimulator({ stateDir: dir, timeScale: 0.005 }), (error: unknown) => isMedicError(error) && error.code === 'SIM_STATE_CORRUPT' && /module\.json/.test(error.hint ?? ''));
      await rm(join(dir, 'module.json'));
      await assert.rejects(startSimulator({ stateDir: dir, imei: '123456789012345' }), (error: unknown) => isMedicError(error) && error.code === 'USAGE');
      await assert.rejects(startSimulator({ stateDir: dir, scenario: 'on-fire' }), (error: unknown) => isMedicError(error) && error.code === 'USAGE' && /healthy/.test(error.hint ?? ''));
      await assert.rejects(startSimulator({ stateDir: dir, timeScale: 0 }), (error: unknown) => isMedicError(error) && error.code === 'USAGE');
      await assert.rejects(startSimulator({ stateDir: dir, usbPath: 'usb1' }), (error: unknown) => isMedicError(error) && error.code === 'USAGE');
      await assert.rejects(startSimulator({ stateDir: dir, iccid: '1234' }), (error: unknown) => isMedicError(error) && error.code === 'USAGE');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
