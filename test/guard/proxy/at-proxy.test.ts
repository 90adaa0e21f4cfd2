import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { AtClient } from '../../../src/protocols/at/client.js';
import { parseDesiredConfig } from '../../../src/guard/desired-config/index.js';
import { parseAtPolicy } from '../../../src/guard/policy/index.js';
import { startAtProxy } from '../../../src/guard/proxy/index.js';
import { openSerial } from '../../../src/transport/serial.js';
import { atPortOf } from '../../helpers/booted-sim.js';
import { SimAtPort } from '../../helpers/sim-at-port.js';
import { waitFor } from '../../helpers/wait.js';
import { proxyFixture, type ProxyFixture } from './proxy-fixture.js';

describe('the AT proxy in front of a simulated module', () => {
  let f: ProxyFixture;
  let socketPath: string;
  before(async () => {
    f = await proxyFixture({ apps: [{ name: 'connman' }, { name: 'gpsd' }], socketPath: join(process.env['TMPDIR'] ?? '/tmp', `medic-proxy-${process.pid}.sock`) });
    socketPath = f.proxy.socketPath ?? '';
  });
  after(async () => {
    await f.close();
  });

  it('answers AT with OK, echoing the command as the module would', async () => {
    const app = await f.app(0);
    assert.equal(await app.command('AT'), 'AT\r\r\nOK\r\n');
    assert.match(await app.command('AT+CSQ'), /^AT\+CSQ\r\r\n\+CSQ: \d+,\d+\r\n\r\nOK\r\n$/);
  });

  it('keeps echo per application (ATE0 on one app leaves the other echoing) and repeats with A/', async () => {
    const quiet = await f.app(1);
    assert.equal(await quiet.command('ATE0'), 'ATE0\r\r\nOK\r\n');
    assert.equal(await quiet.command('AT'), '\r\nOK\r\n');
    const chatty = await f.app(0);
    assert.equal(await chatty.command('AT'), 'AT\r\r\nOK\r\n');
    const from = quiet.mark();
    await quiet.send('AT+CSQ\r');
    await quiet.waitFor(/OK\r\n/, 5000, from);
    const again = quiet.mark();
    await quiet.send('A/');
    await quiet.waitFor(/^\r\n\+CSQ: \d+,\d+\r\n\r\nOK\r\n$/, 5000, again);
    assert.equal(await quiet.command('ATE1'), '\r\nOK\r\n');
  });

  it('shares URCs with every connected application, the socket one too', async () => {
    const first = await f.app(0);
    const second = await f.app(1);
    const socket = createConnection(socketPath);
    let socketText = '';
    socket.on('data', (bytes: Buffer) => {
      socketText += bytes.toString('latin1');
    });
    await new Promise<void>((resolve) => socket.once('connect', () => { resolve(); }));
    try {
      socket.write('AT\r');
      await waitFor(() => socketText.includes('\r\nOK\r\n'), 5000, 'the socket app\'s OK');
      const marks = [first.mark(), second.mark()];
      // CFUN 0 → 1 makes the module announce the SIM again (+CPIN: READY, quectel-ec25.md §3.3).
      await first.command('AT+CFUN=0');
      await first.command('AT+CFUN=1');
      await first.waitFor(/\r\n\+CPIN: READY\r\n/, 10_000, marks[0]);
      await second.waitFor(/\r\n\+CPIN: READY\r\n/, 10_000, marks[1]);
      await waitFor(() => socketText.includes('+CPIN: READY'), 10_000, '+CPIN on the socket');
    } finally {
      socket.destroy();
    }
  });

  it('answers a persistent setting that already has the value without an NV write', async () => {
    const app = await f.app(0);
    const before = await f.sim.control.wear();
    assert.match(await app.command('AT+QCFG="usbnet",0'), /\r\nOK\r\n$/);
    assert.equal((await f.sim.control.wear()).nvWrites, before.nvWrites);
    assert.match(await app.command('AT+QCFG="ledmode",1'), /\r\nOK\r\n$/);
    assert.equal((await f.sim.control.wear()).nvWrites, before.nvWrites + 1);
    assert.match(await app.command('AT+QCFG="ledmode",1'), /\r\nOK\r\n$/);
    assert.match(await app.command('AT+QURCCFG="urcport","usbat"'), /\r\nOK\r\n$/);
    assert.equal((await f.sim.control.wear()).nvWrites, before.nvWrites + 1);
    const writes = (await f.events()).filter((event) => event.type === 'nv-write').map((event) => `${event.data.outcome} ${event.data.command} by ${event.data.by}`);
    assert.deepEqual(writes, [
      'skipped-as-unchanged AT+QCFG="usbnet",0 by connman',
      'written AT+QCFG="ledmode",1 by connman',
      'skipped-as-unchanged AT+QCFG="ledmode",1 by connman',
      'skipped-as-unchanged AT+QURCCFG="urcport","usbat" by connman',
    ]);
  });

  it('refuses R&D commands with the reason in the reply and in the journal', async () => {
    const app = await f.app(1);
    const answer = await app.command('AT+QPRTPARA=3');
    assert.match(answer, /\r\n\+MEDIC: refused, AT\+QPRTPARA is an R&D command \(restores factory parameters[^\r]*\r\n\r\nERROR\r\n$/);
    const refusal = (await f.events()).find((event) => event.type === 'policy-refusal');
    assert.equal(refusal?.type === 'policy-refusal' && `${refusal.data.rule} ${refusal.data.command} by ${refusal.data.by}`, 'rd-command AT+QPRTPARA=3 by gpsd');
  });

  it('answers an over-long line with ERROR and goes on serving', async () => {
    const app = await f.app(0);
    const from = app.mark();
    await app.send(`AT+${'X'.repeat(3000)}\r`);
    await app.waitFor(/\+MEDIC: line too long \(3003 bytes; at most 2048\)\r\n\r\nERROR\r\n/, 5000, from);
    assert.match(await app.command('AT'), /\r\nOK\r\n$/);
  });

  it('survives garbage bytes from an application', async () => {
    const app = await f.app(1);
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    await app.transport.write(garbage);
    await app.send('\r');
    const from = app.mark();
    await app.send('AT+CSQ\r');
    await app.waitFor(/\r\n\+CSQ: \d+,\d+\r\n\r\nOK\r\n/, 10_000, from);
  });

  it('survives an application that closes its port in the middle of a command', async () => {
    await f.closeApp(0);
    const leaving = await SimAtPort.open(f.proxy.ptys[0]?.path ?? '');
    await leaving.send('AT+CFUN=4\r');
    // The echo shows the proxy has the line; AT+CFUN takes the module 1–3 s (module time).
    await leaving.waitFor(/AT\+CFUN=4\r/);
    await leaving.close();
    const other = await f.app(1);
    assert.match(await other.command('AT'), /\r\nOK\r\n$/);
    // The command still reached the module and was recorded.
    await waitFor(async () => (await f.events()).some((event) => event.type === 'cfun-transition' && event.data.to === 4 && event.data.by === 'connman'), 10_000, 'the CFUN=4 event');
    const back = await f.app(0);
    assert.match(await back.command('AT+CFUN=1'), /\r\nOK\r\n$/);
    assert.deepEqual(f.proxy.clients().map((client) => `${client.via} ${client.name}`).slice(0, 2), ['pty connman', 'pty gpsd']);
  });
});

describe('the AT proxy when the module stops answering or goes away', () => {
  let f: ProxyFixture;
  before(async () => {
    f = await proxyFixture({ apps: [{ name: 'app' }], desiredConfig: parseDesiredConfig([{ setting: 'ledmode', value: '3' }]) });
  });
  after(async () => {
    await f.close();
  });

  it('answers ERROR when the module is silent, and works again when it answers', async () => {
    const app = await f.app();
    await f.sim.control.addFault('at-silent');
    assert.match(await app.command('AT', 20_000), /\r\n\+MEDIC: no answer from the module within \d+ s\r\n\r\nERROR\r\n$/);
    await f.sim.control.clearFaults('at-silent');
    assert.match(await app.command('AT', 20_000), /\r\nOK\r\n$/);
  });

  it('answers ERROR, not a hang, once the module\'s port is gone; a new channel brings it back with its configuration', async () => {
    const app = await f.app();
    await f.sim.control.addFault('unexpected-reset');
    await waitFor(() => !f.upstream.isOpen, 10_000, 'the upstream port to go');
    assert.match(await app.command('AT'), /\r\n\+MEDIC: the module is not reachable[^\r]*\r\n\r\nERROR\r\n$/);
    await f.sim.waitFor((state) => state.mode === 'normal' && state.firmware.rdy, 20_000, 'the module to boot again');
    const fresh = new AtClient(await openSerial({ path: atPortOf(f.sim) }), { quietMs: 20 });
    try {
      await fresh.sync();
      const results = await f.proxy.setUpstream(fresh);
      assert.deepEqual(results.map((result) => `${result.key} ${result.status}`), ['QCFG "ledmode" corrected']);
      assert.match(await app.command('AT+QCFG="ledmode"'), /\+QCFG: "ledmode",3\r\n\r\nOK\r\n$/);
      const drift = (await f.events()).find((event) => event.type === 'config-drift');
      assert.equal(drift?.type === 'config-drift' && `${drift.data.key} ${drift.data.actual}→${drift.data.expected} ${drift.data.action}`, 'QCFG "ledmode" 0→3 corrected');
    } finally {
      await f.proxy.close();
      await fresh.close();
    }
  });
});

describe('the CFUN budget across a restart of the proxy', () => {
  it('is not handed out again by a new proxy on the same state directory', async () => {
    const policy = parseAtPolicy({ cfun: { perHour: 2, perDay: 10 } });
    const f = await proxyFixture({ policy, apps: [{ name: 'app' }] });
    try {
      const app = await f.app();
      assert.match(await app.command('AT+CFUN=0'), /\r\nOK\r\n$/);
      assert.match(await app.command('AT+CFUN=1'), /\r\nOK\r\n$/);
      await app.close();
      await f.proxy.close();
      const second = await startAtProxy({ upstream: f.upstream, journal: f.journal, stateDir: f.dir, clock: f.clock, policy, apps: [{ name: 'app' }] });
      try {
        const again = await SimAtPort.open(second.ptyPath ?? '');
        try {
          assert.match(await again.command('AT+CFUN=0'), /\+MEDIC: refused, CFUN budget 2\/h used, next allowed in 60 min\r\n\r\nERROR\r\n$/);
          assert.equal(second.budget().use.hour, 2);
        } finally {
          await again.close();
        }
      } finally {
        await second.close();
      }
    } finally {
      await delay(10);
      await f.close();
    }
  });
});

describe('a change held by coalesce', () => {
  it('is made once the budget frees, unless cancelled', async () => {
    const policy = parseAtPolicy({ cfun: { perHour: 1, perDay: 10, beyondBudget: 'coalesce', coalesceWindowMs: 10_000 } });
    const f = await proxyFixture({ policy, apps: [{ name: 'app' }] });
    try {
      const app = await f.app();
      assert.match(await app.command('AT+CFUN=0'), /\r\nOK\r\n$/);
      // Beyond the budget: OK at once, the module stays at 0, the app reads back what it asked for.
      assert.match(await app.command('AT+CFUN=1'), /\r\nOK\r\n$/);
      assert.match(await app.command('AT+CFUN?'), /\+CFUN: 1\r\n\r\nOK\r\n$/);
      assert.equal(f.sim.state().firmware.cfun, 0);
      assert.equal(f.proxy.budget().held?.level, 1);
      f.clock.advance(3_600_000);
      await app.command('AT');
      assert.equal(f.sim.state().firmware.cfun, 1);
      assert.equal(f.proxy.budget().held, undefined);
      const made = (await f.events()).filter((event) => event.type === 'cfun-transition').map((event) => `${event.data.decision} ${event.data.to}`);
      assert.deepEqual(made, ['allowed 0', 'coalesced 1', 'delayed 1']);
    } finally {
      await f.close();
    }
  });
});
