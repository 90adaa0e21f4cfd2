// QFirehose's "usb2tcp" bridge (edl sheet §3), on the simulator's side: a TCP server that carries
// the bytes of one port of the module, as `QFirehose -p 9008` does on a gateway with a real one.
//   greeting, server → client, once: 5 × u32 {0x12345678, 12, idVendor, idProduct, interface}
//   then every message, both ways:   u32 0x12345678, u32 length, `length` payload bytes
// All words little-endian (QFirehose writes its host structs on x86/ARM as they are). Message
// boundaries survive, as USB bulk transfers do. The sheet gives interface 1 for EDL, which we
// send as given ([verified by running it] there); 0 (the DM interface, §1.2) in normal mode.
// Only one client at a time; when the module's device goes (mode change, power) the client is
// disconnected, as a USB unplug ends QFirehose's session, and the next one waits for the device.
import { createServer, type Server, type Socket } from 'node:net';
import { UsageError } from '../core/errors.js';

export const USB2TCP_MAGIC = 0x12345678;
/** Largest message accepted from a client (a Firehose raw chunk is at most 1 MiB). */
const MAX_MESSAGE = 16 * 1024 * 1024;

/** The device the bridge carries now: its identity and the bytes in and out. */
export interface BridgedDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly interfaceNumber: number;
  /** Host bytes arrived (one message). */
  receive(bytes: Uint8Array): void;
  /** A client took the device (its programs start talking as on a host open). */
  opened(): void;
  /** Register the sink for device bytes while a client holds the device. */
  bind(send: ((bytes: Uint8Array) => void) | undefined): void;
}

export class TcpBridge {
  readonly #server: Server;
  readonly address: string;
  #device: BridgedDevice | undefined;
  #client: Socket | undefined;
  #waiting: Socket | undefined;

  private constructor(server: Server, address: string) {
    this.#server = server;
    this.address = address;
    server.on('connection', (socket) => {
      this.#accept(socket);
    });
  }

  /** Listens on `host:port` (port 0: any free port). */
  static async listen(spec: string): Promise<TcpBridge> {
    const match = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(spec);
    if (match === null) throw new UsageError(`--tcp takes HOST:PORT with a dotted IPv4 address, not ${spec}`, { hint: 'e.g. --tcp 127.0.0.1:9008 (QFirehose -p needs ":9008" and an IPv4 address).' });
    const server = createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(Number(match[2]), match[1], () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : Number(match[2]);
    return new TcpBridge(server, `${match[1]}:${port}`);
  }

  /** The module's bridged port came (a device) or went (undefined). */
  setDevice(device: BridgedDevice | undefined): void {
    if (this.#device !== undefined) {
      this.#device.bind(undefined);
      this.#client?.destroy();
      this.#client = undefined;
    }
    this.#device = device;
    if (device !== undefined && this.#waiting !== undefined) {
      const socket = this.#waiting;
      this.#waiting = undefined;
      this.#connect(socket, device);
    }
  }

  async close(): Promise<void> {
    this.#client?.destroy();
    this.#waiting?.destroy();
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }

  #accept(socket: Socket): void {
    socket.on('error', () => undefined);
    if (this.#client !== undefined || this.#waiting !== undefined) {
      socket.destroy();
      return;
    }
    const device = this.#device;
    if (device === undefined) {
      this.#waiting = socket;
      socket.once('close', () => {
        if (this.#waiting === socket) this.#waiting = undefined;
      });
      return;
    }
    this.#connect(socket, device);
  }

  #connect(socket: Socket, device: BridgedDevice): void {
    if (socket.destroyed) return;
    this.#client = socket;
    const greeting = Buffer.alloc(20);
    [USB2TCP_MAGIC, 12, device.vendorId, device.productId, device.interfaceNumber].forEach((word, index) => {
      greeting.writeUInt32LE(word >>> 0, index * 4);
    });
    socket.write(greeting);
    device.bind((bytes) => {
      if (socket.destroyed) return;
      const header = Buffer.alloc(8);
      header.writeUInt32LE(USB2TCP_MAGIC, 0);
      header.writeUInt32LE(bytes.length, 4);
      socket.write(Buffer.concat([header, bytes]));
    });
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 8) {
        const length = pending.readUInt32LE(4);
        if (pending.readUInt32LE(0) !== USB2TCP_MAGIC || length > MAX_MESSAGE) {
          // Not the bridge's framing: drop the client, as the vendor's bridge would lose sync.
          socket.destroy();
          return;
        }
        if (pending.length < 8 + length) break;
        const payload = Uint8Array.from(pending.subarray(8, 8 + length));
        pending = pending.subarray(8 + length);
        if (this.#client === socket) device.receive(payload);
      }
    });
    socket.once('close', () => {
      if (this.#client !== socket) return;
      this.#client = undefined;
      device.bind(undefined);
    });
    device.opened();
  }
}
