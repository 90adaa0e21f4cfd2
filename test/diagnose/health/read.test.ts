import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { readHealth } from '../../../src/diagnose/health/read.js';
import { AtClient } from '../../../src/protocols/at/client.js';
import type { RunningSimulator } from '../../../src/sim/simulator.js';
import { atPortOf, bootedSimulator } from '../../helpers/booted-sim.js';
import { openSerial } from '../../../src/transport/serial.js';

async function session(): Promise<{ sim: RunningSimulator; client: AtClient; port: string }> {
  const sim = await bootedSimulator({ seed: 11 });
  const port = atPortOf(sim);
  const client = new AtClient(await openSerial({ path: port }));
  await client.sync();
  return { sim, client, port };
}

describe('reading a module for the health report', () => {
  it('reads every part over a real pty', async () => {
    const { client, port } = await session();
    const queries: string[] = [];
    const readings = await readHealth(client, port, { onQuery: (command) => queries.push(command) });
    await client.close();
    assert.equal(readings.identity.manufacturer, 'Quectel');
    assert.equal(readings.sim.state, 'READY');
    assert.equal(readings.functionLevel, 1);
    assert.ok(readings.vbatMv !== undefined && readings.vbatMv > 3000);
    assert.deepEqual(readings.settings['urcport'], ['usbat']);
    assert.deepEqual(readings.unavailable, []);
    assert.ok(queries.includes('AT+QENG="servingcell"') && queries.includes('AT+QCFG="fast/poweroff"'));
  });

  it('ends with AT_TIMEOUT when the module goes silent part-way, without hanging', async () => {
    const { sim, client, port } = await session();
    let silenced: Promise<unknown> | undefined;
    const reading = readHealth(client, port, {
      onQuery: (command) => {
        // After AT+COPS? (its manual budget is 180 s): whichever command the fault lands on, on a
        // loaded machine one or two later, has the default 300 ms budget, so the test stays short.
        if (command === 'AT+QNWINFO') silenced ??= sim.control.addFault('at-silent');
      },
    });
    await assert.rejects(reading, (error: unknown) => isMedicError(error) && error.code === 'AT_TIMEOUT' && /AT port/.test(error.hint ?? ''));
    await silenced;
    await client.close();
  });

  it('ends with TRANSPORT_DISCONNECTED when the module drops off USB part-way', async () => {
    const { sim, client, port } = await session();
    let reset: Promise<unknown> | undefined;
    const reading = readHealth(client, port, {
      onQuery: (command) => {
        if (command === 'AT+CSQ') reset ??= sim.control.addFault('unexpected-reset');
      },
    });
    await assert.rejects(reading, (error: unknown) => isMedicError(error) && (error.code === 'TRANSPORT_DISCONNECTED' || error.code === 'AT_MODULE_REBOOTED'));
    await reset;
    await client.close();
  });
});
