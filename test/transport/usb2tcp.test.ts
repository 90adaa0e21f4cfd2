import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { isMedicError } from '../../src/core/errors.js';
import { connectUsb2Tcp } from '../../src/transport/usb2tcp.js';
import { waitFor } from '../helpers/wait.js';

// The far side is written here byte for byte from the edl sheet §3, not with the code under test.
const greeting9008 = Buffer.from('78563412' + '0c000000' + 'c6050000' + '08900000' + '00000000', 'hex');
function message(payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x12345678, 0);
  header.writeUInt32LE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
});

async function bridge(onClient: (socket: Socket) => void): Promise<number> {
  const server = createServer(onClient);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

describe('usb2tcp transport (QFirehose\'s TCP bridge) over real TCP', () => {
  it('holds only a few MB for a reader that lags a fast device: TCP slows the far side, and every byte still arrives in order', async () => {
    const messages = 256;
    const size = 256 * 1024;
    let written = 0;
    let wrote: (() => void) | undefined;
    const port = await bridge((socket) => {
      socket.write(greeting9008);
      let next = 0;
      const pump = (): void => {
        while (next < messages) {
          const payload = Buffer.alloc(size, next & 0xff);
          next += 1;
          const more = socket.write(message(payload), () => {
            written += size;
            wrote?.();
          });
          if (!more) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    const transport = await connectUsb2Tcp('127.0.0.1', port);
    // Read nothing for a while: a far side that could push all 64 MB would be done by now.
    let settled = -1;
    await waitFor(async () => {
      const before = written;
      await new Promise<void>((resolve) => {
        wrote = resolve;
        setTimeout(resolve, 200);
      });
      if (written === before) settled = written;
      return settled >= 0;
    }, 20_000, 'the far side to stall');
    assert.ok(settled < (messages * size) / 2, `the far side got rid of ${settled} bytes into a reader that took none`);
    let received = 0;
    let expected = 0;
    while (received < messages * size) {
      const chunk = await transport.read(AbortSignal.timeout(5000));
      for (let at = 0; at < chunk.length; at += size) assert.equal(chunk[at], Math.floor((received + at) / size) & 0xff);
      received += chunk.length;
      expected += 1;
    }
    assert.equal(received, messages * size);
    assert.equal(expected, messages, 'one read per bridge message');
    await transport.close();
  });

  it('reads the greeting and keeps message boundaries in both directions, however TCP splits them', async () => {
    const received: Buffer[] = [];
    let rx = Buffer.alloc(0);
    const port = await bridge((socket) => {
      // Greeting and the first message dribble out a few bytes at a time.
      const out = Buffer.concat([greeting9008, message(Buffer.from('HELLO-PACKET')), message(Buffer.from([0, 1, 2]))]);
      let offset = 0;
      const timer = setInterval(() => {
        socket.write(out.subarray(offset, offset + 5));
        offset += 5;
        if (offset >= out.length) clearInterval(timer);
      }, 2);
      socket.on('data', (chunk: Buffer) => {
        rx = Buffer.concat([rx, chunk]);
        while (rx.length >= 8 && rx.length >= 8 + rx.readUInt32LE(4)) {
          assert.equal(rx.readUInt32LE(0), 0x12345678);
          const length = rx.readUInt32LE(4);
          received.push(rx.subarray(8, 8 + length));
          rx = rx.subarray(8 + length);
        }
      });
    });
    const transport = await connectUsb2Tcp('127.0.0.1', port);
    assert.deepEqual(transport.greeting, { vendorId: 0x05c6, productId: 0x9008, interfaceNumber: 0 });
    assert.equal(Buffer.from(await transport.read(AbortSignal.timeout(5000))).toString(), 'HELLO-PACKET');
    assert.deepEqual([...(await transport.read(AbortSignal.timeout(5000)))], [0, 1, 2]);
    await transport.write(Uint8Array.from([0x02, 0x00, 0x00, 0x00]));
    await transport.write(new TextEncoder().encode('<?xml version="1.0" ?><data><nop /></data>'));
    await waitFor(() => received.length === 2, 5000, 'both messages at the bridge');
    assert.deepEqual([...(received[0] ?? [])], [2, 0, 0, 0]);
    assert.match(received[1]?.toString() ?? '', /<nop \/>/);
    await transport.close();
  });

  it('reports the module going away on the far side as TRANSPORT_DISCONNECTED', async () => {
    const port = await bridge((socket) => {
      socket.write(greeting9008);
      setTimeout(() => socket.destroy(), 50);
    });
    const transport = await connectUsb2Tcp('127.0.0.1', port);
    await assert.rejects(transport.read(AbortSignal.timeout(5000)), (error: unknown) => isMedicError(error) && error.code === 'TRANSPORT_DISCONNECTED');
  });

  it('refuses a server that does not speak usb2tcp, and an address where nobody listens', async () => {
    const port = await bridge((socket) => {
      socket.write('SSH-2.0-OpenSSH_9.2\r\n');
    });
    await assert.rejects(connectUsb2Tcp('127.0.0.1', port), (error: unknown) => isMedicError(error) && error.code === 'TCP_BRIDGE_PROTOCOL' && /QFirehose/.test(error.hint ?? ''));
    const closed = await bridge((socket) => socket.destroy());
    servers.at(-1)?.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await assert.rejects(connectUsb2Tcp('127.0.0.1', closed), (error: unknown) => isMedicError(error) && (error.code === 'TCP_UNREACHABLE' || error.code === 'TCP_BRIDGE_PROTOCOL'));
  });
});
