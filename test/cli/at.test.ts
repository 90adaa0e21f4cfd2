import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunningSimulator } from '../../src/sim/simulator.js';
import { atPortOf, bootedSimulator } from '../helpers/booted-sim.js';
import { medicBin, runMedic } from '../helpers/medic.js';
import { runOnTerminal } from '../helpers/terminal.js';

const simulator = (scenario = 'healthy'): Promise<RunningSimulator> => bootedSimulator({ scenario, seed: 3 });
const atPort = atPortOf;

describe('medic at, one-shot', () => {
  it('prints each answer with its final result', async () => {
    const sim = await simulator();
    const result = await runMedic(['at', '--port', atPort(sim), 'AT+CSQ', 'AT+QCFG="usbnet"']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /> AT\+CSQ\n\+CSQ: \d+,\d+\nOK\n/);
    assert.match(result.stdout, /> AT\+QCFG="usbnet"\n\+QCFG: "usbnet",0\nOK\n/);
  });

  it('exits 1 when the module answers ERROR, and shows what a CME code means', async () => {
    const sim = await simulator('no-sim');
    const result = await runMedic(['at', '--port', atPort(sim), 'AT+NOSUCHCOMMAND', 'AT+CPIN?', 'AT+CMEE=2', 'AT+CPIN?']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /> AT\+NOSUCHCOMMAND\nERROR\n/);
    assert.match(result.stdout, /> AT\+CPIN\?\n\+CME ERROR: 10 {2}\(SIM not inserted\)\n/);
    assert.match(result.stdout, /> AT\+CPIN\?\n\+CME ERROR: SIM not inserted/);
  });

  it('gives JSON with every exchange and the URCs that arrived', async () => {
    const sim = await simulator();
    const result = await runMedic(['at', '--port', atPort(sim), '--json', '--listen', '500', 'AT+QPOWD=1']);
    assert.equal(result.code, 0, result.stderr);
    const body = JSON.parse(result.stdout) as { ok: boolean; exchanges: { command: string; ok: boolean; final: { kind: string } }[]; urcs: string[] };
    assert.equal(body.ok, true);
    assert.deepEqual(body.exchanges.map((e) => [e.command, e.final.kind]), [['AT+QPOWD=1', 'OK']]);
    assert.ok(body.urcs.includes('POWERED DOWN'), `URCs: ${body.urcs.join(' | ')}`);
  });

  it('reads commands from a pipe when not on a terminal', async () => {
    const sim = await simulator();
    const result = await runMedic(['at', '--port', atPort(sim)], { input: 'ATI\nAT+GSN\n' });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Quectel\nEC25\nRevision: EC25AFAR05A04M4G\nOK/);
    assert.match(result.stdout, /\d{15}\nOK/);
  });
});

describe('medic at, interactive console on a real terminal', () => {
  it('answers typed commands, keeps history, shows URCs as they arrive, and leaves on Ctrl-D', async () => {
    const sim = await simulator();
    const terminal = runOnTerminal(process.execPath, [medicBin, 'at', '--port', atPort(sim)], { ...process.env, XDG_STATE_HOME: '/tmp/medic-test-history' });
    try {
      await terminal.waitFor(/AT> /);
      terminal.type('AT+CPIN?\r');
      await terminal.waitFor(/\+CPIN: READY\r?\nOK/);
      // Up-arrow recalls the last command: history works.
      const mark = terminal.output().length;
      terminal.type('\x1b[A\r');
      await terminal.waitFor(/\+CPIN: READY\r?\nOK/, 10_000, mark);
      // Radio off and on again: the SIM and init URCs that follow show up above the prompt.
      terminal.type('AT+CFUN=0\r');
      await terminal.waitFor(/OK/, 20_000, mark);
      const beforeOn = terminal.output().length;
      terminal.type('AT+CFUN=1\r');
      await terminal.waitFor(/\[URC\] \+CPIN: READY/, 20_000, beforeOn);
      // A reset drops the module off USB: the console says so and exits 3.
      terminal.type('AT+CFUN=1,1\r');
      await terminal.waitFor(/device went away/, 20_000, beforeOn);
      assert.equal(await terminal.exited, 3);
    } finally {
      terminal.kill();
    }
  });
});
