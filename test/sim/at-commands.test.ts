// Every AT command of the simulated module, byte for byte as the host sees it on the AT pty
// (fact sheet §3 formats), plus echo, CME forms and bad input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { luhnCheckDigit } from '../../src/sim/identity.js';
import { DEFAULT_SIM } from '../../src/sim/scenarios.js';
import type { SimAtPort } from '../helpers/sim-at-port.js';
import { isSettled, startTestSim, type TestSim } from '../helpers/sim-fixture.js';

const IMEI = `86123405000012${luhnCheckDigit('86123405000012')}`;
const REV = 'EC25AFAR05A04M4G';

/** The answer the module gives with echo on: echo, CR, then the info block and OK. */
function answer(command: string, ...lines: string[]): string {
  return `${command}\r${lines.length > 0 ? `\r\n${lines.join('\r\n')}\r\n` : ''}\r\nOK\r\n`;
}

describe('simulated EC25: AT command formats (healthy)', () => {
  let t: TestSim;
  let port: SimAtPort;
  let modem: SimAtPort;
  before(async () => {
    t = await startTestSim({ imei: IMEI });
    await t.sim.waitFor(isSettled(t.sim), 20_000, 'registration and SIM init');
    port = await t.openPort('at');
    modem = await t.openPort('modem');
  });
  after(async () => {
    await t.close();
  });

  it('answers AT, ATI, revision and identity commands in the manual formats', async () => {
    assert.equal(await port.command('AT'), answer('AT'));
    assert.equal(await port.command('ATI'), answer('ATI', 'Quectel', 'EC25', `Revision: ${REV}`));
    assert.equal(await port.command('AT+GMR'), answer('AT+GMR', REV));
    assert.equal(await port.command('AT+CGMR'), answer('AT+CGMR', REV));
    assert.equal(await port.command('AT+QGMR'), answer('AT+QGMR', `${REV}_01.001.01.001`));
    assert.equal(await port.command('AT+GSN'), answer('AT+GSN', IMEI));
    assert.equal(await port.command('AT+CGSN'), answer('AT+CGSN', IMEI));
    assert.equal(await port.command('AT+CIMI'), answer('AT+CIMI', DEFAULT_SIM.imsi));
    assert.equal(await port.command('AT+QCCID'), answer('AT+QCCID', `+QCCID: ${DEFAULT_SIM.iccid}`));
    assert.equal(await port.command('AT+CGMI'), answer('AT+CGMI', 'Quectel'));
    assert.equal(await port.command('AT+CGMM'), answer('AT+CGMM', 'EC25'));
  });

  it('reports functionality, SIM and init status', async () => {
    assert.equal(await port.command('AT+CFUN?'), answer('AT+CFUN?', '+CFUN: 1'));
    assert.equal(await port.command('AT+CPIN?'), answer('AT+CPIN?', '+CPIN: READY'));
    assert.equal(await port.command('AT+QINISTAT'), answer('AT+QINISTAT', '+QINISTAT: 7'));
    assert.equal(await port.command('AT+CMEE?'), answer('AT+CMEE?', '+CMEE: 1'));
  });

  it('reports signal, registration and the serving cell', async () => {
    assert.equal(await port.command('AT+CSQ'), answer('AT+CSQ', '+CSQ: 23,99'));
    assert.equal(await port.command('AT+CREG?'), answer('AT+CREG?', '+CREG: 0,1'));
    assert.equal(await port.command('AT+CGREG?'), answer('AT+CGREG?', '+CGREG: 0,1'));
    assert.equal(await port.command('AT+CEREG?'), answer('AT+CEREG?', '+CEREG: 0,1'));
    assert.equal(await port.command('AT+CREG=2'), answer('AT+CREG=2'));
    assert.equal(await port.command('AT+CREG?'), answer('AT+CREG?', '+CREG: 2,1,"2A1E","7676A09",7'));
    assert.equal(await port.command('AT+CEREG=2'), answer('AT+CEREG=2'));
    assert.equal(await port.command('AT+CEREG?'), answer('AT+CEREG?', '+CEREG: 2,1,"2A1E","7676A09",7'));
    assert.equal(await port.command('AT+CGREG=1'), answer('AT+CGREG=1'));
    assert.equal(await port.command('AT+CGREG?'), answer('AT+CGREG?', '+CGREG: 1,1'));
    assert.equal(await port.command('AT+CREG=0;+CEREG=0;+CGREG=0'), answer('AT+CREG=0;+CEREG=0;+CGREG=0'));
    assert.equal(await port.command('AT+CREG=3'), 'AT+CREG=3\r\r\nERROR\r\n');
    assert.equal(await port.command('AT+COPS?'), answer('AT+COPS?', '+COPS: 0,0,"AT&T",7'));
    assert.equal(await port.command('AT+QENG="servingcell"'), answer('AT+QENG="servingcell"', '+QENG: "servingcell","NOCONN","LTE","FDD",310,410,7676A09,188,900,2,3,3,2A1E,-95,-9,-67,14,33'));
    assert.equal(await port.command('AT+QNWINFO'), answer('AT+QNWINFO', '+QNWINFO: "FDD LTE","310410","LTE BAND 2",900'));
    // EC25-A cannot hear the band 3 cell of the scenario: a scan lists only what it supports.
    assert.equal(await port.command('AT+COPS=?'), answer('AT+COPS=?', '+COPS: (2,"AT&T","AT&T","310410",7),,(0-4),(0-2)'));
  });

  it('reports supply voltage and temperatures', async () => {
    // 3.8 V − 60 mA × 0.05 Ω = 3.797 V; bcl on a 3.3–4.2 V scale.
    assert.equal(await port.command('AT+CBC'), answer('AT+CBC', '+CBC: 0,55,3797'));
    assert.match(await port.command('AT+QTEMP'), /^AT\+QTEMP\r\r\n\+QTEMP: \d{2},\d{2},\d{2}\r\n\r\nOK\r\n$/);
  });

  it('queries every QCFG setting in its printed form', async () => {
    const expected: Record<string, string> = {
      usbnet: '0',
      usbcfg: '0x2C7C,0x0125,1,1,1,1,1,0,0',
      band: '0x260,0x80a,0x0',
      nwscanmode: '0',
      'fast/poweroff': '0',
      ledmode: '0',
      'urc/cache': '0',
      ApRstLevel: '1',
      ModemRstLevel: '1',
    };
    for (const [name, values] of Object.entries(expected)) {
      assert.equal(await port.command(`AT+QCFG="${name}"`), answer(`AT+QCFG="${name}"`, `+QCFG: "${name}",${values}`));
    }
    assert.equal(await port.command('AT+QCFG="aprstlevel"'), answer('AT+QCFG="aprstlevel"', '+QCFG: "ApRstLevel",1'));
    assert.equal(await port.command('AT+QURCCFG="urcport"'), answer('AT+QURCCFG="urcport"', '+QURCCFG: "urcport","usbat"'));
  });

  it('sets QCFG values persistently, one NV write each, and refuses bad ones with ERROR', async () => {
    const before = (await t.sim.control.wear()).nvWrites;
    assert.equal(await port.command('AT+QCFG="ledmode",0'), answer('AT+QCFG="ledmode",0'));
    assert.equal(await port.command('AT+QCFG="ApRstLevel",0'), answer('AT+QCFG="ApRstLevel",0'));
    assert.equal(await port.command('AT+QCFG="ApRstLevel"'), answer('AT+QCFG="ApRstLevel"', '+QCFG: "ApRstLevel",0'));
    assert.equal((await t.sim.control.wear()).nvWrites, before + 2);
    assert.equal(await port.command('AT+QCFG="usbnet",7'), 'AT+QCFG="usbnet",7\r\r\nERROR\r\n');
    assert.equal(await port.command('AT+QCFG="nosuch"'), 'AT+QCFG="nosuch"\r\r\nERROR\r\n');
    assert.equal(await port.command('AT+QCFG=usbnet'), 'AT+QCFG=usbnet\r\r\nERROR\r\n');
    assert.equal(await port.command('AT+QCFG="band",0x260'), 'AT+QCFG="band",0x260\r\r\nERROR\r\n');
    assert.equal((await t.sim.control.wear()).nvWrites, before + 2);
  });

  it('answers ERROR to anything it does not know, and to broken syntax', async () => {
    assert.equal(await port.command('AT+FOO'), 'AT+FOO\r\r\nERROR\r\n');
    assert.equal(await port.command('ATX'), 'ATX\r\r\nERROR\r\n');
    assert.equal(await port.command('AT+QCFG="usbnet'), 'AT+QCFG="usbnet\r\r\nERROR\r\n');
    assert.equal(await port.command('AT+CSQ;+NOPE'), 'AT+CSQ;+NOPE\r\r\n+CSQ: 23,99\r\n\r\nERROR\r\n');
  });

  it('chains commands with ; and is case-insensitive', async () => {
    assert.equal(await port.command('AT+CSQ;+CFUN?'), 'AT+CSQ;+CFUN?\r\r\n+CSQ: 23,99\r\n\r\n+CFUN: 1\r\n\r\nOK\r\n');
    assert.equal(await port.command('at+csq'), answer('at+csq', '+CSQ: 23,99'));
  });

  it('skips text before the AT prefix and honours backspace; ignores lines without AT', async () => {
    assert.equal(await port.command('\x00\x17xyAT+CFUN?'), answer('\x00\x17xyAT+CFUN?', '+CFUN: 1'));
    assert.equal(await port.command('AT+CSX\bQ'), answer('AT+CSX\bQ', '+CSQ: 23,99'));
    const from = port.mark();
    await port.send('hello\r');
    await port.waitFor(/hello\r/, 10_000, from);
    assert.equal(await port.command('AT'), answer('AT'));
    assert.equal(port.text.slice(from), `hello\r${answer('AT')}`);
  });

  it('cuts an over-long line short (ERROR) and keeps working', async () => {
    const from = port.mark();
    await port.send(`AT+${'A'.repeat(5000)}\r`);
    await port.waitFor(/\r\r\nERROR\r\n$/, 10_000, from, 'the answer to the long line');
    assert.equal(await port.command('AT'), answer('AT'));
  });

  it('keeps echo per port: ATE0 on the AT port leaves the modem port echoing; AT&F restores', async () => {
    assert.equal(await port.command('ATE0'), answer('ATE0'));
    assert.equal(await port.command('AT'), '\r\nOK\r\n');
    assert.equal(await port.command('ATI'), '\r\nQuectel\r\nEC25\r\nRevision: EC25AFAR05A04M4G\r\n\r\nOK\r\n');
    assert.equal(await modem.command('AT'), answer('AT'));
    // Echo is decided as the bytes arrive: ATE1 itself is typed with echo still off.
    assert.equal(await port.command('ATE1'), '\r\nOK\r\n');
    assert.equal(await port.command('AT'), answer('AT'));
    assert.equal(await port.command('ATE0'), answer('ATE0'));
    assert.equal(await port.command('AT&F'), '\r\nOK\r\n');
    assert.equal(await port.command('AT'), answer('AT'));
  });

  it('routes URCs to the port AT+QURCCFG="urcport" names (default the AT port), and saves it to NV', async () => {
    const nv = (await t.sim.control.wear()).nvWrites;
    assert.equal(await port.command('AT+QURCCFG="urcport","usbmodem"'), answer('AT+QURCCFG="urcport","usbmodem"'));
    assert.equal((await t.sim.control.wear()).nvWrites, nv + 1);
    assert.equal(await port.command('AT+CREG=1'), answer('AT+CREG=1'));
    const atFrom = port.mark();
    const modemFrom = modem.mark();
    assert.equal(await port.command('AT+CFUN=4'), answer('AT+CFUN=4'));
    await modem.waitFor(/\r\n\+CREG: 0\r\n/, 10_000, modemFrom);
    assert.doesNotMatch(port.text.slice(atFrom), /\+CREG: 0/);
    assert.equal(await port.command('AT+QURCCFG="urcport","usbat"'), answer('AT+QURCCFG="urcport","usbat"'));
    const back = port.mark();
    assert.equal(await port.command('AT+CFUN=1'), answer('AT+CFUN=1'));
    await port.waitFor(/\r\n\+CREG: 1\r\n/, 10_000, back);
    assert.equal(await port.command('AT+CREG=0'), answer('AT+CREG=0'));
    assert.equal(await port.command('AT+QURCCFG="urcport","nowhere"'), 'AT+QURCCFG="urcport","nowhere"\r\r\nERROR\r\n');
  });
});

describe('simulated EC25: AT+CFUN', () => {
  let t: TestSim;
  let port: SimAtPort;
  before(async () => {
    t = await startTestSim();
    await t.sim.waitFor(isSettled(t.sim), 20_000, 'registration');
    port = await t.openPort('at');
  });
  after(async () => {
    await t.close();
  });

  it('CFUN=0 turns RF and SIM off, CFUN=1 brings them back with the manual URCs; each counts a transition and an NV write', async () => {
    const before = await t.sim.control.wear();
    assert.equal(await port.command('AT+CFUN=0'), answer('AT+CFUN=0'));
    assert.equal(await port.command('AT+CFUN?'), answer('AT+CFUN?', '+CFUN: 0'));
    assert.equal(await port.command('AT+CREG?'), answer('AT+CREG?', '+CREG: 0,0'));
    assert.equal(await port.command('AT+CSQ'), answer('AT+CSQ', '+CSQ: 99,99'));
    assert.equal(await port.command('AT+CPIN?'), 'AT+CPIN?\r\r\n+CME ERROR: 13\r\n');
    const from = port.mark();
    assert.equal(await port.command('AT+CFUN=1'), answer('AT+CFUN=1'));
    const urcs = await port.waitFor(/\r\n\+CPIN: READY\r\n\r\n\+QUSIM: 1\r\n[\s\S]*\r\n\+QIND: PB DONE\r\n[\s\S]*\r\n\+QIND: SMS DONE\r\n/, 10_000, from);
    assert.ok(urcs.index >= answer('AT+CFUN=1').length, 'the URCs come after OK');
    await t.sim.waitFor((s) => s.firmware.registration === 1, 20_000, 'registration again');
    const after = await t.sim.control.wear();
    assert.equal(after.cfunTransitions, before.cfunTransitions + 2);
    assert.equal(after.nvWrites, before.nvWrites + 2);
  });

  it('CFUN=4 is airplane mode: SIM stays, radio off', async () => {
    assert.equal(await port.command('AT+CFUN=4'), answer('AT+CFUN=4'));
    assert.equal(await port.command('AT+CFUN?'), answer('AT+CFUN?', '+CFUN: 4'));
    assert.equal(await port.command('AT+CPIN?'), answer('AT+CPIN?', '+CPIN: READY'));
    assert.equal(await port.command('AT+QENG="servingcell"'), answer('AT+QENG="servingcell"', '+QENG: "servingcell","SEARCH"'));
    assert.equal(t.sim.state().pins.netStatus.pattern, 'off');
    assert.equal(await port.command('AT+CFUN=1'), answer('AT+CFUN=1'));
  });

  it('refuses a reset flag with CFUN other than 1, and other values', async () => {
    assert.equal(await port.command('AT+CFUN=0,1'), 'AT+CFUN=0,1\r\r\n+CME ERROR: 3\r\n');
    assert.equal(await port.command('AT+CFUN=2'), 'AT+CFUN=2\r\r\nERROR\r\n');
    assert.equal(await port.command('AT+CFUN=?'), answer('AT+CFUN=?', '+CFUN: (0,1,4),(0-1)'));
  });

  it('AT+CFUN=1,1 answers OK, then the module resets: the port hangs up and the module comes back', async () => {
    const boots = (await t.sim.control.wear()).boots;
    assert.equal(await port.command('AT+CFUN=1,1'), answer('AT+CFUN=1,1'));
    const ended = await port.waitForEnd(10_000);
    assert.match(ended.message, /went away/);
    // Back and settled: opened right after RDY, the port would take the boot URCs (+QIND: SMS DONE)
    // in the answer below.
    await t.sim.waitFor((s) => isSettled(t.sim)(s) && s.usb.ports.at !== undefined, 20_000, 'the module back after the reset');
    const wear = await t.sim.control.wear();
    assert.equal(wear.boots, boots + 1);
    const again = await t.openPort('at');
    assert.equal(await again.command('AT'), answer('AT'));
  });
});

describe('simulated EC25: +CME ERROR forms (no SIM)', () => {
  let t: TestSim;
  let port: SimAtPort;
  before(async () => {
    t = await startTestSim({ scenario: 'no-sim' });
    // Open the port after the boot URCs (+CPIN: NOT INSERTED comes 400 ms after RDY, §3.8), so
    // none lands in an answer below.
    const rdyAt = (await t.sim.control.events()).find((event) => event.kind === 'rdy')?.t ?? 0;
    await t.sim.waitFor((s) => s.moduleTimeMs > rdyAt + 3000, 10_000, 'the boot URCs');
    port = await t.openPort('at');
  });
  after(async () => {
    await t.close();
  });

  it('answers SIM commands with CME 10 in the form AT+CMEE selects', async () => {
    await t.sim.waitFor((s) => s.firmware.sim === 'absent', 10_000, 'SIM state');
    assert.equal(await port.command('AT+CPIN?'), 'AT+CPIN?\r\r\n+CME ERROR: 10\r\n');
    assert.equal(await port.command('AT+CMEE=2'), answer('AT+CMEE=2'));
    assert.equal(await port.command('AT+CPIN?'), 'AT+CPIN?\r\r\n+CME ERROR: SIM not inserted\r\n');
    assert.equal(await port.command('AT+CMEE=0'), answer('AT+CMEE=0'));
    assert.equal(await port.command('AT+CPIN?'), 'AT+CPIN?\r\r\nERROR\r\n');
    assert.equal(await port.command('AT+CMEE=1'), answer('AT+CMEE=1'));
    assert.equal(await port.command('AT+QCCID'), 'AT+QCCID\r\r\n+CME ERROR: 10\r\n');
    assert.equal(await port.command('AT+CIMI'), 'AT+CIMI\r\r\n+CME ERROR: 10\r\n');
    assert.equal(await port.command('AT+CMEE=3'), 'AT+CMEE=3\r\r\nERROR\r\n');
    assert.equal(await port.command('AT+CMEE=?'), answer('AT+CMEE=?', '+CMEE: (0-2)'));
  });

  it('keeps CMEE per port', async () => {
    const modem = await t.openPort('modem');
    assert.equal(await port.command('AT+CMEE=2'), answer('AT+CMEE=2'));
    assert.equal(await modem.command('AT+CPIN?'), 'AT+CPIN?\r\r\n+CME ERROR: 10\r\n');
    assert.equal(await port.command('AT+CPIN?'), 'AT+CPIN?\r\r\n+CME ERROR: SIM not inserted\r\n');
    assert.equal(await port.command('AT+CMEE=1'), answer('AT+CMEE=1'));
  });

  it('stays unregistered with no init done', async () => {
    assert.equal(await port.command('AT+CREG?'), answer('AT+CREG?', '+CREG: 0,0'));
    assert.equal(await port.command('AT+QINISTAT'), answer('AT+QINISTAT', '+QINISTAT: 0'));
    assert.equal(await port.command('AT+COPS?'), answer('AT+COPS?', '+COPS: 0'));
  });
});
