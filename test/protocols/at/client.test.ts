import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMedicError, type MedicError } from '../../../src/core/errors.js';
import { MemoryLogger } from '../../../src/core/logger.js';
import { AtClient } from '../../../src/protocols/at/client.js';
import { setFunctionality } from '../../../src/protocols/at/commands/functionality.js';
import { getSignalQuality } from '../../../src/protocols/at/commands/network.js';
import { AtCommandError, isCmeError } from '../../../src/protocols/at/errors.js';
import { hexTrace } from '../../../src/protocols/at/trace.js';
import { URC_CATALOGUE_VERIFIED, type Urc } from '../../../src/protocols/at/urc.js';
import { createTransportPair } from '../../../src/transport/memory.js';
import { waitFor } from '../../helpers/wait.js';
import { connect, frame, scripted, tick, type FakeModule } from './fake-module.js';

const T = { timeout: 15_000 };

function code(expected: string): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(isMedicError(error), `expected a MedicError, got ${String(error)}`);
    assert.equal(error.code, expected, error.message);
    return true;
  };
}

function collectUrcs(client: AtClient): Urc[] {
  const urcs: Urc[] = [];
  client.onUrc((urc) => urcs.push(urc));
  return urcs;
}

describe('AtClient: commands and responses', () => {
  it('returns the information lines of a command without echo, URCs or the final', T, async () => {
    const { client, close } = connect(scripted({ 'AT+CSQ': ['+CSQ: 23,99', 'OK'] }));
    const response = await client.send('AT+CSQ');
    assert.deepEqual(response, { command: 'AT+CSQ', lines: ['+CSQ: 23,99'], final: { kind: 'OK', line: 'OK' } });
    await close();
  });

  it('drops the echo when the module echoes (ATE1, the power-on default)', T, async () => {
    const { client, module, close } = connect(scripted({ ATI: ['Quectel', 'EC25', 'Revision: EC25EFAR02A09M4G', 'OK'], ATE0: ['OK'] }), { echo: true });
    const response = await client.send('ATI');
    assert.deepEqual(response.lines, ['Quectel', 'EC25', 'Revision: EC25EFAR02A09M4G']);
    await client.send('ATE0');
    module.echo = false;
    assert.deepEqual((await client.send('ATI')).lines, ['Quectel', 'EC25', 'Revision: EC25EFAR02A09M4G']);
    await close();
  });

  it('keeps a response line that merely equals the command text once the echo has been seen', T, async () => {
    const { client, close } = connect(scripted({ 'AT+X': ['AT+X', 'OK'] }), { echo: true });
    assert.deepEqual((await client.send('AT+X')).lines, ['AT+X']);
    await close();
  });

  it('runs commands one at a time in the order they were sent', T, async () => {
    let outstanding = 0;
    let overlapped = false;
    const { client, module, close } = connect(async (command, m) => {
      outstanding += 1;
      if (outstanding > 1) overlapped = true;
      await new Promise((resolve) => setTimeout(resolve, 5));
      outstanding -= 1;
      await m.reply(`+ECHO: ${command}`, 'OK');
    });
    const commands = ['AT+A', 'AT+B', 'AT+C', 'AT+D', 'AT+E'];
    const responses = await Promise.all(commands.map((command) => client.send(command, { responsePrefix: '+ECHO:' })));
    assert.deepEqual(responses.map((response) => response.lines), commands.map((command) => [`+ECHO: ${command}`]));
    assert.deepEqual(module.received, commands);
    assert.equal(overlapped, false);
    await close();
  });

  it('sends URCs that arrive mid-response to subscribers and never into the response', T, async () => {
    const { client, close } = connect(async (command, m) => {
      if (command === 'AT+CSQ') await m.write(frame('+CPIN: READY', '+CSQ: 23,99', 'RING', '+QIND: SMS DONE', 'OK'));
    });
    const urcs = collectUrcs(client);
    const response = await client.send('AT+CSQ');
    assert.deepEqual(response.lines, ['+CSQ: 23,99']);
    assert.deepEqual(urcs.map((urc) => [urc.line, urc.name]), [['+CPIN: READY', 'pin'], ['RING', 'ring'], ['+QIND: SMS DONE', 'indication']]);
    await close();
  });

  it('delivers every line that arrives while no command is in flight, known or not', T, async () => {
    const { client, module, close } = connect(scripted({}));
    const urcs = collectUrcs(client);
    await module.write(frame('RDY', '+CFUN: 1', 'vendor says hello'));
    await waitFor(() => urcs.length === 3, 5000, 'three URCs');
    assert.deepEqual(urcs, [{ line: 'RDY', name: 'ready' }, { line: '+CFUN: 1', name: 'functionality' }, { line: 'vendor says hello', name: undefined }]);
    await close();
  });

  it('routes a +CFUN URC during AT+CFUN=1 to subscribers (the command declares no information line)', T, async () => {
    const { client, close } = connect(async (_command, m) => {
      await m.write(frame('+CFUN: 1', 'OK', '+CPIN: READY'));
    });
    const urcs = collectUrcs(client);
    await client.run(setFunctionality(1));
    await waitFor(() => urcs.length === 2, 5000, 'both URCs');
    assert.deepEqual(urcs.map((urc) => urc.line), ['+CFUN: 1', '+CPIN: READY']);
    await close();
  });

  it('keeps the body of a directly delivered SMS with its header, even when the body reads "OK"', T, async () => {
    const { client, close } = connect(async (command, m) => {
      if (command === 'AT+CSQ') await m.write(frame('+CMT: "+4912345",,"24/01/01,00:00:00+04"', 'OK', '+CSQ: 5,99', 'OK'));
    });
    const urcs = collectUrcs(client);
    const response = await client.send('AT+CSQ');
    assert.deepEqual(response.lines, ['+CSQ: 5,99']);
    assert.deepEqual(urcs, [{ line: '+CMT: "+4912345",,"24/01/01,00:00:00+04"', name: 'sms', data: ['OK'] }]);
    await close();
  });

  it('treats the GSM voltage URCs as URCs by default, and as response lines with the verified catalogue', T, async () => {
    const handler = async (_command: string, m: FakeModule): Promise<void> => {
      await m.write(frame('UNDER_VOLTAGE WARNING', '+CBC: 0,10,3300', 'OK'));
    };
    const withDefault = connect(handler);
    const urcs = collectUrcs(withDefault.client);
    assert.deepEqual((await withDefault.client.send('AT+CBC')).lines, ['+CBC: 0,10,3300']);
    assert.deepEqual(urcs.map((urc) => urc.name), ['under-voltage-warning']);
    await withDefault.close();
    const verified = connect(handler, { client: { urcCatalogue: URC_CATALOGUE_VERIFIED } });
    assert.deepEqual((await verified.client.send('AT+CBC')).lines, ['UNDER_VOLTAGE WARNING', '+CBC: 0,10,3300']);
    await verified.close();
  });

  it('survives a URC listener that throws', T, async () => {
    const logger = new MemoryLogger();
    const { client, close } = connect(async (_command, m) => {
      await m.write(frame('RING', '+CSQ: 1,2', 'OK'));
    }, { client: { logger } });
    client.onUrc(() => {
      throw new Error('listener bug');
    });
    const seen = collectUrcs(client);
    assert.deepEqual((await client.send('AT+CSQ')).lines, ['+CSQ: 1,2']);
    assert.equal(seen.length, 1);
    assert.ok(logger.records.some((record) => record.message.includes('listener threw')));
    await close();
  });

  it('stops delivering to a listener after it unsubscribes', T, async () => {
    const { client, module, close } = connect(scripted({}));
    const seen: string[] = [];
    const unsubscribe = client.onUrc((urc) => seen.push(urc.line));
    await module.write(frame('RING'));
    await waitFor(() => seen.length === 1, 5000, 'first RING');
    unsubscribe();
    await module.write(frame('RING'));
    await client.send('AT');
    assert.equal(seen.length, 1);
    await close();
  });

  it('copes with NULs and control bytes in the stream', T, async () => {
    const { client, close } = connect(async (_command, m) => {
      await m.write(Uint8Array.from([0, 0, 13, 10, ...Buffer.from('+CSQ: 2'), 0, ...Buffer.from('1,99'), 7, 13, 10, 0, 13, 10, 0x4f, 0x4b, 13, 10]));
    });
    assert.deepEqual((await client.send('AT+CSQ')).lines, ['+CSQ: 21,99']);
    await close();
  });

  it('rejects a command line that contains CR or LF without sending anything', T, async () => {
    const { client, module, close } = connect(scripted({}));
    await assert.rejects(client.send('AT\rAT+CFUN=0'), code('USAGE'));
    await client.send('AT');
    assert.deepEqual(module.received, ['AT']);
    await close();
  });
});

describe('AtClient: failures', () => {
  it('rejects an error final with AT_COMMAND_ERROR carrying the CME code, meaning and a hint', T, async () => {
    const { client, close } = connect(scripted({ 'AT+CIMI': ['+CME ERROR: 10'] }));
    const error = await client.send('AT+CIMI').then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof AtCommandError);
    assert.equal(error.code, 'AT_COMMAND_ERROR');
    assert.equal(error.final.code, 10);
    assert.equal(error.final.meaning, 'SIM not inserted');
    assert.match(error.hint ?? '', /SIM/);
    assert.ok(isCmeError(error, 10));
    assert.equal(isCmeError(error, 11), false);
    await close();
  });

  it('times out a command the module never answers, with a hint about the port, and the next command still works', T, async () => {
    const { client, close } = connect(async (command, m) => {
      if (command === 'AT+CSQ') return;
      await m.reply(command === 'AT' ? 'OK' : 'ERROR');
    });
    await assert.rejects(client.send('AT+CSQ', { timeoutMs: 50 }), (error: unknown) => {
      code('AT_TIMEOUT')(error);
      const hint = (error as MedicError).hint ?? '';
      assert.match(hint, /DM\/DIAG/);
      assert.match(hint, /NMEA/);
      assert.match(hint, /ModemManager/);
      return true;
    });
    assert.deepEqual((await client.send('AT')).lines, []);
    await close();
  });

  it('does not give a late answer, arriving after the timeout, to the next command', T, async () => {
    const { client, module, close } = connect(async (command, m) => {
      if (command === 'AT+CGSN') {
        setTimeout(() => void m.reply('866758041234567', 'OK'), 80);
        return;
      }
      if (command === 'AT') await m.reply('OK');
      if (command === 'AT+CIMI') await m.reply('460011234567890', 'OK');
    });
    const urcs = collectUrcs(client);
    await assert.rejects(client.send('AT+CGSN', { timeoutMs: 40 }), code('AT_TIMEOUT'));
    const response = await client.send('AT+CIMI');
    assert.deepEqual(response.lines, ['460011234567890']);
    assert.ok(module.received.includes('AT'), 'the client resynchronised with AT');
    assert.deepEqual(urcs, [], 'no part of the late answer surfaces as a URC either');
    await close();
  });

  it('does not give a late answer that comes just as the resync probe is sent to the next command', T, async () => {
    let late = false;
    const { client, module, close } = connect(async (command, m) => {
      if (command === 'AT+CGSN') {
        late = true;
        return;
      }
      if (command === 'AT') {
        // The abandoned command's answer overtakes the probe's own OK.
        if (late) await m.write(frame('866758041234567', 'OK'));
        late = false;
        await m.reply('OK');
        return;
      }
      if (command === 'AT+CIMI') await m.reply('460011234567890', 'OK');
    });
    const urcs = collectUrcs(client);
    await assert.rejects(client.send('AT+CGSN', { timeoutMs: 40 }), code('AT_TIMEOUT'));
    assert.deepEqual((await client.send('AT+CIMI')).lines, ['460011234567890']);
    assert.deepEqual((await client.send('AT+CIMI')).lines, ['460011234567890']);
    assert.equal(module.received.filter((command) => command === 'AT').length, 1);
    assert.deepEqual(urcs, [], 'no part of the late answer surfaces as a URC either');
    await close();
  });

  it('resyncs again when the late final is an error that lands on the probe', T, async () => {
    let late = false;
    const { client, close } = connect(async (command, m) => {
      if (command === 'AT+COPS=?') {
        late = true;
        return;
      }
      if (command === 'AT') {
        if (late) await m.write(frame('+CME ERROR: 30'));
        late = false;
        await m.reply('OK');
        return;
      }
      await m.reply('+CSQ: 9,99', 'OK');
    });
    const urcs = collectUrcs(client);
    await assert.rejects(client.send('AT+COPS=?', { timeoutMs: 40 }), code('AT_TIMEOUT'));
    assert.deepEqual((await client.send('AT+CSQ')).lines, ['+CSQ: 9,99']);
    assert.deepEqual((await client.send('AT+CSQ')).lines, ['+CSQ: 9,99']);
    assert.deepEqual(urcs, []);
    await close();
  });

  it('throws away a half line left by a command that timed out', T, async () => {
    const { client, module, close } = connect(async (command, m) => {
      if (command === 'AT+QENG="servingcell"') {
        await m.write('\r\n+QENG: "servingcell","NOC');
        return;
      }
      // No leading CR LF: if the half line were kept, this OK would be glued onto it.
      if (command === 'AT') await m.write('OK\r\n');
      if (command === 'AT+CSQ') await m.reply('+CSQ: 12,99', 'OK');
    });
    await assert.rejects(client.send('AT+QENG="servingcell"', { timeoutMs: 50 }), code('AT_TIMEOUT'));
    assert.deepEqual((await client.send('AT+CSQ')).lines, ['+CSQ: 12,99']);
    assert.equal(module.received.filter((command) => command === 'AT').length, 1);
    await close();
  });

  it('fails a command whose resync gets no answer, and recovers once the module answers again', T, async () => {
    let alive = false;
    const { client, close } = connect(async (command, m) => {
      if (!alive) return;
      await m.reply(command === 'AT' ? 'OK' : '+CSQ: 3,99', ...(command === 'AT' ? [] : ['OK']));
    }, { client: { probeTimeoutMs: 30, resyncAttempts: 2 } });
    await assert.rejects(client.send('AT+CSQ', { timeoutMs: 30 }), code('AT_TIMEOUT'));
    await assert.rejects(client.send('AT+CSQ'), code('AT_TIMEOUT'));
    alive = true;
    assert.deepEqual((await client.send('AT+CSQ')).lines, ['+CSQ: 3,99']);
    await close();
  });

  it('fails the command in flight with AT_MODULE_REBOOTED on RDY, still delivers RDY, and works afterwards', T, async () => {
    const { client, close } = connect(async (command, m) => {
      if (command === 'AT+COPS?') {
        await m.write(frame('RDY', '+CFUN: 1', '+CPIN: READY'));
        return;
      }
      if (command === 'AT') await m.reply('OK');
      if (command === 'AT+CSQ') await m.reply('+CSQ: 20,99', 'OK');
    });
    const urcs = collectUrcs(client);
    await assert.rejects(client.send('AT+COPS?'), (error: unknown) => {
      code('AT_MODULE_REBOOTED')(error);
      assert.match((error as MedicError).hint ?? '', /VBAT/);
      return true;
    });
    assert.deepEqual((await client.send('AT+CSQ')).lines, ['+CSQ: 20,99']);
    assert.deepEqual(urcs.map((urc) => urc.line), ['RDY', '+CFUN: 1', '+CPIN: READY']);
    await close();
  });

  it('rejects the command in flight and every queued one with TRANSPORT_DISCONNECTED when the module goes away', T, async () => {
    const { client, module, close } = connect(async (command, m) => {
      if (command === 'AT+CSQ') await m.unplug();
    });
    const results = await Promise.allSettled([client.send('AT+CSQ'), client.send('AT+CREG?'), client.send('AT+CGREG?')]);
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      code('TRANSPORT_DISCONNECTED')(result.reason);
    }
    assert.equal(client.isOpen, false);
    await assert.rejects(client.send('AT'), code('TRANSPORT_DISCONNECTED'));
    await assert.rejects(client.sync(), code('TRANSPORT_DISCONNECTED'));
    assert.deepEqual(module.received, ['AT+CSQ']);
    await close();
  });

  it('close() rejects pending commands with TRANSPORT_CLOSED and ends cleanly', T, async () => {
    const { client, close } = connect(() => undefined);
    const pending = [client.send('AT+CSQ'), client.send('AT+CREG?')];
    await tick();
    await close();
    for (const result of await Promise.allSettled(pending)) {
      assert.equal(result.status, 'rejected');
      code('TRANSPORT_CLOSED')(result.reason);
    }
    await assert.rejects(client.send('AT'), code('TRANSPORT_CLOSED'));
  });
});

describe('AtClient: cancellation', () => {
  it('removes a queued command whose signal fires; it never reaches the module', T, async () => {
    const { client, module, close } = connect(async (command, m) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await m.reply(`+ECHO: ${command}`, 'OK');
    });
    const controller = new AbortController();
    const first = client.send('AT+A', { responsePrefix: '+ECHO:' });
    const second = client.send('AT+B', { signal: controller.signal });
    const third = client.send('AT+C', { responsePrefix: '+ECHO:' });
    controller.abort();
    await assert.rejects(second, code('CANCELLED'));
    assert.deepEqual((await first).lines, ['+ECHO: AT+A']);
    assert.deepEqual((await third).lines, ['+ECHO: AT+C']);
    assert.deepEqual(module.received, ['AT+A', 'AT+C']);
    await close();
  });

  it('fails an in-flight command on cancel, resyncs, and the late answer is not given to the next command', T, async () => {
    const { client, module, close } = connect(async (command, m) => {
      if (command === 'AT+COPS?') {
        setTimeout(() => void m.reply('+COPS: 0,0,"late",7', 'OK'), 30);
        return;
      }
      if (command === 'AT') await m.reply('OK');
      if (command === 'AT+QNWINFO') await m.reply('+QNWINFO: "FDD LTE",46011,"LTE BAND 3",1650', 'OK');
    });
    const controller = new AbortController();
    const cops = client.send('AT+COPS?', { signal: controller.signal });
    await waitFor(() => module.received.includes('AT+COPS?'), 5000, 'the command on the wire');
    controller.abort();
    await assert.rejects(cops, code('CANCELLED'));
    assert.deepEqual((await client.send('AT+QNWINFO')).lines, ['+QNWINFO: "FDD LTE",46011,"LTE BAND 3",1650']);
    assert.ok(module.received.includes('AT'));
    await close();
  });

  it('rejects at once when the signal has already fired', T, async () => {
    const { client, module, close } = connect(scripted({}));
    await assert.rejects(client.send('AT', { signal: AbortSignal.abort() }), code('CANCELLED'));
    await client.send('AT');
    assert.deepEqual(module.received, ['AT']);
    await close();
  });
});

describe('AtClient.sync', () => {
  it('gets OK on the first probe and reports the echo', T, async () => {
    const { client, close } = connect(scripted({}), { echo: true });
    assert.deepEqual(await client.sync(), { attempts: 1, echo: true });
    await close();
  });

  it('keeps probing a module that is still waking up', T, async () => {
    let ignored = 0;
    const { client, close } = connect(async (command, m) => {
      if (command === 'AT' && ignored < 2) {
        ignored += 1;
        return;
      }
      await m.reply('OK');
    });
    assert.deepEqual(await client.sync({ timeoutMs: 50 }), { attempts: 3, echo: false });
    await close();
  });

  it('skips boot noise and a half-typed line left in the port', T, async () => {
    const { client, module, close } = connect(scripted({}));
    await module.write('\0\0garbage without end');
    const result = await client.sync();
    assert.equal(result.attempts, 1);
    await close();
  });

  it('says AT_NOT_A_MODEM when the port answers with binary frames (the DM port)', T, async () => {
    const { client, close } = connect(async (_command, m) => {
      await m.write(Uint8Array.from([0x13, 0xfe, 0x41, 0x54, 0x0d, 0xe1, 0x7e]));
    });
    await assert.rejects(client.sync({ attempts: 2, timeoutMs: 50 }), (error: unknown) => {
      code('AT_NOT_A_MODEM')(error);
      const medic = error as MedicError;
      assert.match(medic.hint ?? '', /interface 2/);
      assert.match(String(medic.details.sampleHex), /^13 fe/);
      return true;
    });
    await close();
  });

  it('says AT_NOT_A_MODEM on the NMEA port, which talks but never answers', T, async () => {
    const { client, close } = connect(async (_command, m) => {
      await m.reply('$GPGSV,1,1,00*79', '$GPGGA,,,,,,0,,,,,,,,*66');
    });
    await assert.rejects(client.sync({ attempts: 2, timeoutMs: 50 }), code('AT_NOT_A_MODEM'));
    await close();
  });

  it('says AT_TIMEOUT when the port stays silent, and then stops probing it', T, async () => {
    const { client, module, close } = connect(() => undefined);
    await assert.rejects(client.sync({ attempts: 2, timeoutMs: 40 }), code('AT_TIMEOUT'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(module.received, ['AT', 'AT']);
    await close();
  });

  it('says AT_TIMEOUT, not AT_NOT_A_MODEM, when a module only sends URCs (busy booting)', T, async () => {
    const { client, close } = connect(async (_command, m) => {
      await m.reply('+QIND: SMS DONE');
    });
    await assert.rejects(client.sync({ attempts: 2, timeoutMs: 40 }), code('AT_TIMEOUT'));
    await close();
  });
});

describe('AtClient: text prompt, traces, typed commands', () => {
  it('answers the "> " prompt with the payload and Ctrl-Z', T, async () => {
    const { client, module, close } = connect(async (command, m) => {
      if (command.startsWith('AT+CMGS')) await m.write('\r\n> ');
    });
    const sending = client.send('AT+CMGS="+4912345"', { payload: 'hello' });
    await waitFor(() => module.raw.includes(0x1a), 5000, 'Ctrl-Z');
    const tail = Buffer.from(module.raw.slice(-6)).toString('latin1');
    assert.equal(tail, 'hello\x1a');
    await module.reply('+CMGS: 12', 'OK');
    assert.deepEqual((await sending).lines, ['+CMGS: 12']);
    await close();
  });

  it('cancels an unexpected prompt with ESC so the port does not stay in text entry', T, async () => {
    const { client, module, close } = connect(async (command, m) => {
      if (command.startsWith('AT+CMGS')) await m.write('\r\n> ');
    });
    const sending = client.send('AT+CMGS="+4912345"');
    await waitFor(() => module.raw.includes(0x1b), 5000, 'ESC');
    await module.reply('OK');
    await sending;
    await close();
  });

  it('shows every byte both ways to the trace hook, and hexTrace logs a hex dump', T, async () => {
    const logger = new MemoryLogger();
    const seen: [string, string][] = [];
    const trace = hexTrace(logger, 'test');
    const { client, close } = connect(scripted({ 'AT+CSQ': ['+CSQ: 23,99', 'OK'] }), {
      client: {
        trace: (direction, bytes) => {
          seen.push([direction, Buffer.from(bytes).toString('latin1')]);
          trace(direction, bytes);
        },
      },
    });
    await client.send('AT+CSQ');
    assert.deepEqual(seen[0], ['tx', 'AT+CSQ\r']);
    assert.equal(seen.filter(([direction]) => direction === 'rx').map(([, text]) => text).join(''), '\r\n+CSQ: 23,99\r\n\r\nOK\r\n');
    assert.ok(logger.records.some((record) => String(record.fields?.hex).includes('41 54 2b 43 53 51 0d')));
    await close();
  });

  it('runs a typed command and returns its parsed value', T, async () => {
    const { client, close } = connect(scripted({ 'AT+CSQ': ['+CSQ: 99,99', 'OK'] }));
    const quality = await client.run(getSignalQuality());
    assert.equal(quality.dbm, undefined);
    assert.equal(quality.rssi, 99);
    await close();
  });

  it('works over a transport pair driven by hand, one byte at a time', T, async () => {
    const [host, device] = createTransportPair();
    const client = new AtClient(host);
    const sending = client.send('AT+CSQ');
    const received = await device.read();
    assert.equal(Buffer.from(received).toString('latin1'), 'AT+CSQ\r');
    for (const byte of Buffer.from('AT+CSQ\r\r\n+CSQ: 31,0\r\n\r\nOK\r\n')) {
      await device.write(Uint8Array.of(byte));
      await tick();
    }
    assert.deepEqual((await sending).lines, ['+CSQ: 31,0']);
    await client.close();
  });
});
