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

/** Exactly `count` bytes, however many reads they arrive in. */
async function readBytes(transport: { read(signal?: AbortSignal): Promise<Uint8Array> }, count: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  while (total < count) {
    const chunk = Buffer.from(await transport.read(AbortSignal.timeout(5000)));
    parts.push(chunk);
    total += chunk.length;
  }
  assert.equal(total, count, 'no byte of what follows was taken');
  return Buffer.concat(parts);
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
    const into = new Uint8Array(100_000);
    while (received < messages * size) {
      const count = await transport.readInto(into, AbortSignal.timeout(5000));
      for (let at = 0; at < count; at += 1) {
        if (into[at] !== (Math.floor((received + at) / size) & 0xff)) assert.fail(`byte ${received + at} is out of order`);
      }
      received += count;
    }
    assert.equal(received, messages * size);
    await transport.close();
  });

  it('reads the greeting and the payloads in order, and writes one bridge message per write, however TCP splits them', async () => {
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
    assert.equal((await readBytes(transport, 12)).toString(), 'HELLO-PACKET');
    assert.deepEqual([...(await readBytes(transport, 3))], [0, 1, 2]);
    await transport.write(Uint8Array.from([0x02, 0x00, 0x00, 0x00]));
    await transport.write(new TextEncoder().encode('<?xml version="1.0" ?><data><nop /></data>'));
    await waitFor(() => received.length === 2, 5000, 'both messages at the bridge');
    assert.deepEqual([...(received[0] ?? [])], [2, 0, 0, 0]);
    assert.match(received[1]?.toString() ?? '', /<nop \/>/);
    await transport.close();
  });

  it('sends each write as it was when write() resolved, so a flash may refill its one payload buffer', async () => {
    let rx = Buffer.alloc(0);
    const received: Buffer[] = [];
    const port = await bridge((socket) => {
      socket.write(greeting9008);
      socket.on('data', (chunk: Buffer) => {
        rx = Buffer.concat([rx, chunk]);
        while (rx.length >= 8 && rx.length >= 8 + rx.readUInt32LE(4)) {
          received.push(Buffer.from(rx.subarray(8, 8 + rx.readUInt32LE(4))));
          rx = rx.subarray(8 + rx.readUInt32LE(4));
        }
      });
    });
    const transport = await connectUsb2Tcp('127.0.0.1', port);
    const payload = new Uint8Array(8192);
    for (let transfer = 0; transfer < 64; transfer += 1) {
      payload.fill(transfer);
      await transport.write(payload);
    }
    await waitFor(() => received.length === 64, 5000, 'all 64 transfers at the bridge');
    received.forEach((transfer, index) => {
      assert.equal(transfer.length, 8192);
      assert.ok(transfer.every((byte) => byte === index), `transfer ${index} arrived as it was written`);
    });
    await transport.close();
  });

  it('reads a transfer spread over many TCP reads, and several that share one, every payload byte in order and no header byte', async () => {
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i += 1) big[i] = (i * 7 + (i >>> 9)) & 0xff;
    const small = [Buffer.from('<?xml version="1.0" ?><data><response value="ACK" /></data>'), Buffer.from([1]), Buffer.alloc(0), Buffer.from('tail')];
    const port = await bridge((socket) => {
      const out = Buffer.concat([greeting9008, message(big), ...small.map(message)]);
      // Uneven pieces: headers and payloads cut anywhere, the small messages in one piece together.
      const cuts = [3, 21, 25, 4096, 70_000, 70_001, 299_990, out.length];
      let from = 0;
      const next = (): void => {
        const to = cuts.shift();
        if (to === undefined) return;
        socket.write(out.subarray(from, to));
        from = to;
        setTimeout(next, 5);
      };
      next();
    });
    const transport = await connectUsb2Tcp('127.0.0.1', port);
    assert.ok((await readBytes(transport, big.length)).equals(big));
    for (const expected of small.filter((each) => each.length > 0)) assert.ok((await readBytes(transport, expected.length)).equals(expected));
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
