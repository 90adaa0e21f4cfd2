import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMedicError } from '../../src/core/errors.js';
import { openSerial } from '../../src/transport/serial.js';
import { PtyHost } from '../../src/core/pty/pty-host.js';
import { tempDir, waitFor } from '../helpers/wait.js';

const decoder = new TextDecoder();

describe('serial transport over a real pseudo-terminal', () => {
  let host: PtyHost;
  before(async () => {
    host = await PtyHost.start();
  });
  after(async () => {
    await host.stop();
  });

  it('carries bytes both ways, binary-clean (no echo, no CR/LF mapping)', async () => {
    const pty = await host.open();
    const received: Uint8Array[] = [];
    pty.on({ data: (bytes) => received.push(bytes) });
    const transport = await openSerial({ path: pty.path });
    await waitFor(() => pty.hostHasOpen, 2000, 'the simulator to see the port opened');
    const binary = Uint8Array.from([0x01, 0x00, 0x0d, 0x0a, 0x0d, 0x7e, 0x03, 0xff, 0x11, 0x13]);
    await transport.write(binary);
    await waitFor(() => received.reduce((n, c) => n + c.length, 0) >= binary.length, 2000, 'bytes at the simulator');
    assert.deepEqual(Buffer.concat(received), Buffer.from(binary));
    pty.write(Uint8Array.from([0x0a, 0x0d, 0x00, 0x7e]));
    const back = await transport.read(AbortSignal.timeout(2000));
    assert.deepEqual([...back], [0x0a, 0x0d, 0x00, 0x7e]);
    await transport.close();
    await pty.close();
  });

  it('drops what the device sends while no host has the port open, like a closed USB tty', async () => {
    const pty = await host.open();
    pty.write('stale boot output\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const transport = await openSerial({ path: pty.path });
    await waitFor(() => pty.hostHasOpen, 2000, 'host open');
    pty.write('fresh\r\n');
    const chunk = await transport.read(AbortSignal.timeout(2000));
    assert.equal(decoder.decode(chunk), 'fresh\r\n');
    await transport.close();
    await waitFor(() => !pty.hostHasOpen, 2000, 'host close seen by the simulator');
    await pty.close();
  });

  it('a read that times out loses nothing: the bytes come with the next read', async () => {
    const pty = await host.open();
    const transport = await openSerial({ path: pty.path });
    await waitFor(() => pty.hostHasOpen, 2000, 'host open');
    await assert.rejects(transport.read(AbortSignal.timeout(30)), (error: unknown) => isMedicError(error) && error.code === 'TIMEOUT');
    pty.write('late');
    assert.equal(decoder.decode(await transport.read(AbortSignal.timeout(2000))), 'late');
    await transport.close();
    await pty.close();
  });

  it('reports the device going away (USB unplug) as TRANSPORT_DISCONNECTED, without spinning', async () => {
    const pty = await host.open();
    const transport = await openSerial({ path: pty.path });
    await waitFor(() => pty.hostHasOpen, 2000, 'host open');
    const pending = assert.rejects(transport.read(), (error: unknown) => isMedicError(error) && error.code === 'TRANSPORT_DISCONNECTED' && typeof error.hint === 'string');
    await pty.close();
    await pending;
    assert.equal(transport.isOpen, false);
    await assert.rejects(transport.write(Uint8Array.of(0x41)), (error: unknown) => isMedicError(error) && error.code.startsWith('TRANSPORT_'));
  });

  it('refuses a second program on a port that is already open, naming what to check', async () => {
    const pty = await host.open();
    const first = await openSerial({ path: pty.path });
    await assert.rejects(openSerial({ path: pty.path }), (error: unknown) => {
      assert.ok(isMedicError(error));
      assert.equal(error.code, 'PORT_BUSY');
      assert.match(error.hint ?? '', /ModemManager/);
      return true;
    });
    await first.close();
    await pty.close();
  });

  it('explains a path that does not exist or is not a tty', async () => {
    await assert.rejects(openSerial({ path: '/dev/ttyUSB-nope-99' }), (error: unknown) => isMedicError(error) && error.code === 'PORT_NOT_FOUND' && /medic scan/.test(error.hint ?? ''));
    await using dir = await tempDir();
    const file = join(dir.path, 'not-a-port');
    await writeFile(file, 'hello');
    await assert.rejects(openSerial({ path: file }), (error: unknown) => isMedicError(error) && error.code === 'PORT_NOT_SERIAL');
  });
});
