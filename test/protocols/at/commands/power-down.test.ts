import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMedicError } from '../../../../src/core/errors.js';
import { powerDown } from '../../../../src/protocols/at/commands/power.js';
import { connect, frame } from '../fake-module.js';

const T = { timeout: 15_000 };

function code(expected: string): (error: unknown) => boolean {
  return (error: unknown) => isMedicError(error) && error.code === expected;
}

describe('powerDown (AT+QPOWD, then wait for POWERED DOWN)', () => {
  it('resolves when POWERED DOWN follows OK', T, async () => {
    const { client, module, close } = connect(async (command, m) => {
      if (command.startsWith('AT+QPOWD')) {
        await m.reply('OK');
        setTimeout(() => void m.reply('POWERED DOWN'), 30);
      }
    });
    const urc = await powerDown(client, { mode: 1 });
    assert.equal(urc.name, 'powered-down');
    assert.deepEqual(module.received, ['AT+QPOWD=1']);
    await close();
  });

  it('catches POWERED DOWN that arrives together with, or even before, the OK', T, async () => {
    for (const bytes of [frame('OK', 'POWERED DOWN'), frame('POWERED DOWN', 'OK')]) {
      const { client, close } = connect(async (_command, m) => {
        await m.write(bytes);
      });
      assert.equal((await powerDown(client)).line, 'POWERED DOWN');
      await close();
    }
  });

  it('says AT_TIMEOUT, advising to cut power anyway, when the URC never comes', T, async () => {
    const { client, close } = connect(async (_command, m) => {
      await m.reply('OK');
    });
    await assert.rejects(powerDown(client, { timeoutMs: 100 }), (error: unknown) => {
      assert.ok(code('AT_TIMEOUT')(error));
      assert.match((error as { hint?: string }).hint ?? '', /remove VBAT anyway/);
      return true;
    });
    await close();
  });

  it('rejects with the transport error when the port vanishes before the URC', T, async () => {
    const { client, close } = connect(async (_command, m) => {
      await m.reply('OK');
      await m.unplug();
    });
    await assert.rejects(powerDown(client), code('TRANSPORT_DISCONNECTED'));
    await close();
  });

  it('rejects with the command error, leaving nothing waiting, when the module refuses', T, async () => {
    const { client, close } = connect(async (_command, m) => {
      await m.reply('ERROR');
    });
    await assert.rejects(powerDown(client, { timeoutMs: 200 }), code('AT_COMMAND_ERROR'));
    // A waiter left behind would reject later; the test runner reports that as a failure.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await close();
  });
});
