import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EventInput } from '../../../src/guard/events/event.js';
import { applyDesiredConfig, parseDesiredConfig } from '../../../src/guard/desired-config/index.js';
import { PolicyError } from '../../../src/guard/policy/index.js';
import { AtClient } from '../../../src/protocols/at/client.js';
import type { RunningSimulator } from '../../../src/sim/simulator.js';
import { openSerial } from '../../../src/transport/serial.js';
import { atPortOf, bootedSimulator } from '../../helpers/booted-sim.js';

describe('the desired configuration, applied with query-then-set', () => {
  let sim: RunningSimulator;
  let at: AtClient;
  before(async () => {
    sim = await bootedSimulator();
    at = new AtClient(await openSerial({ path: atPortOf(sim) }), { quietMs: 20 });
    await at.sync();
  });
  after(async () => {
    await at.close();
  });

  const settings = parseDesiredConfig([
    { setting: 'usbnet', value: '0' },
    { setting: 'ledmode', value: '3' },
    { setting: 'urcport', value: 'all' },
    { setting: 'nwscanmode', value: '0', correct: false },
    { key: 'CMEE', query: 'AT+CMEE?', expect: '+CMEE: 1', set: 'AT+CMEE=1' },
  ]);

  it('records drift, sets each differing setting once, and leaves the rest alone', async () => {
    const events: EventInput[] = [];
    const before = await sim.control.wear();
    const results = await applyDesiredConfig(settings, { run: (command) => at.send(command), record: (event) => events.push(event), sleep: () => Promise.resolve() });
    assert.deepEqual(results.map((result) => `${result.key} ${result.status}`), ['QCFG "usbnet" ok', 'QCFG "ledmode" corrected', 'QURCCFG "urcport" corrected', 'QCFG "nwscanmode" ok', 'CMEE ok']);
    assert.equal((await sim.control.wear()).nvWrites, before.nvWrites + 2);
    assert.deepEqual(events, [
      { type: 'config-drift', data: { key: 'QCFG "ledmode"', expected: '3', actual: '0', action: 'corrected' } },
      { type: 'nv-write', data: { command: 'AT+QCFG="ledmode",3', outcome: 'written', by: 'guard' } },
      { type: 'config-drift', data: { key: 'QURCCFG "urcport"', expected: 'all', actual: 'usbat', action: 'corrected' } },
      { type: 'nv-write', data: { command: 'AT+QURCCFG="urcport","all"', outcome: 'written', by: 'guard' } },
    ]);
  });

  it('touches no NV the next time (after the next boot)', async () => {
    const events: EventInput[] = [];
    const before = await sim.control.wear();
    const results = await applyDesiredConfig(settings, { run: (command) => at.send(command), record: (event) => events.push(event), sleep: () => Promise.resolve() });
    assert.ok(results.every((result) => result.status === 'ok'));
    assert.deepEqual(events, []);
    assert.equal((await sim.control.wear()).nvWrites, before.nvWrites);
  });

  it('reports drift it is told not to correct, and skips a setting the module keeps refusing', async () => {
    const events: EventInput[] = [];
    let sleeps = 0;
    const results = await applyDesiredConfig(
      parseDesiredConfig([
        { setting: 'nwscanmode', value: '3', correct: false },
        { key: 'bogus', query: 'AT+QNOSUCH?', expect: '+QNOSUCH: 1', set: 'AT+QNOSUCH=1' },
      ]),
      { run: (command) => at.send(command), record: (event) => events.push(event), sleep: () => { sleeps += 1; return Promise.resolve(); } },
    );
    assert.deepEqual(results.map((result) => `${result.key} ${result.status}`), ['QCFG "nwscanmode" drift-reported', 'bogus failed']);
    assert.match(results[1]?.error ?? '', /^query AT\+QNOSUCH\?: AT\+QNOSUCH\?: ERROR/);
    // eg25-manager's rule: ERROR is retried 3 times, 500 ms apart (quectel-ec25.md §5.3).
    assert.equal(sleeps, 3);
    assert.deepEqual(events, [{ type: 'config-drift', data: { key: 'QCFG "nwscanmode"', expected: '3', actual: '0', action: 'reported' } }]);
  });

  it('refuses a bad list with the entry and the problem', () => {
    const cases: [unknown, RegExp][] = [
      [{ setting: 'usbnet' }, /^desiredConfig\[0\]\.value: must be a string or a list of strings$/],
      [{ setting: 'risignaltype', value: 'physical' }, /^desiredConfig\[0\]\.setting: "risignaltype" is not a known persistent setting/],
      [{ setting: 'usbnet', value: '0;+CFUN=0' }, /^desiredConfig\[0\]\.value: must be a value/],
      [{ key: 'x', query: 'AT+X?', expect: '+X: 1' }, /^desiredConfig\[0\]\.set: must be one AT command line/],
      [{ key: 'x', query: 'AT+X?', expect: '+X: 1', set: 'AT+X=1', extra: 1 }, /^desiredConfig\[0\]\.extra: unknown field/],
    ];
    for (const [entry, message] of cases) {
      assert.throws(() => parseDesiredConfig([entry]), (error: unknown) => error instanceof PolicyError && message.test(error.message), JSON.stringify(entry));
    }
    assert.throws(() => parseDesiredConfig({}), /desiredConfig: must be a list of settings/);
  });
});
