// The usb2tcp bridge against bad clients: garbage framing, a second client, a bad --tcp value.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { startSimulator } from '../../../src/sim/simulator.js';
import { TcpLink } from '../../helpers/edl-host.js';
import { startTestSim } from '../../helpers/sim-fixture.js';

describe('simulated EC25: the usb2tcp bridge with bad clients', () => {
  it('drops a client that does not speak the framing, refuses a second one, and serves the next', async () => {
    const t = await startTestSim({ scenario: 'edl-corrupt', tcp: '127.0.0.1:0' });
    try {
      await t.sim.waitFor((s) => s.mode === 'edl' && s.usb.ports.edl !== undefined, 20_000, 'EDL');
      const address = t.sim.info.tcp ?? '';
      const first = await TcpLink.open(address);
      // A second client while the first holds the device: closed at once.
      const [host, port] = address.split(':');
      const second = connect({ host, port: Number(port) });
      second.on('error', () => undefined);
      await new Promise<void>((resolve) => {
        second.once('close', () => {
          resolve();
        });
      });
      await first.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Garbage instead of {0x12345678, length}: the bridge hangs up after its greeting.
      const raw = connect({ host, port: Number(port) });
      raw.on('error', () => undefined);
      let greeted = 0;
      await new Promise<void>((resolve) => {
        raw.on('data', (chunk: Buffer) => {
          greeted += chunk.length;
          raw.write('hello, is this the modem?\r\n');
        });
        raw.once('close', () => {
          resolve();
        });
      });
      assert.ok(greeted >= 20, 'it was greeted first');
      const next = await TcpLink.open(address);
      assert.deepEqual(next.greeting, [0x12345678, 12, 0x05c6, 0x9008, 1]);
      await next.close();
    } finally {
      await t.close();
    }
  });

  it('refuses a --tcp value that is not HOST:PORT, with a hint', async () => {
    await assert.rejects(startSimulator({ tcp: 'localhost', timeScale: 0.01 }), (error: unknown) => isMedicError(error) && error.code === 'USAGE' && /127\.0\.0\.1:9008/.test(error.hint ?? ''));
  });
});
