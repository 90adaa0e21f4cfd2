import { connect, type Socket } from 'node:net';
import { MedicError } from '../core/errors.js';
import type { ByteTransport } from './byte-transport.js';
import { ChunkQueue } from './chunk-queue.js';
import { PortOpenError, TransportClosedError } from './errors.js';

// QFirehose's "usb2tcp" bridge (edl sheet §3): a module attached to another machine is flashed
// over TCP. The server first sends a 20-byte greeting {magic, 12, idVendor, idProduct,
// interface}; then every message in both directions is {magic, length} + payload, so USB
// transfer boundaries survive. The fields are the C structs' u32s in the host's native order;
// QFirehose runs on little-endian x86/ARM hosts, so little-endian here (the sheet does not say —
// UNVERIFIED beyond "it worked against QFirehose on x86").

export const USB2TCP_MAGIC = 0x12345678;
const GREETING_BYTES = 20;
const HEADER_BYTES = 8;
/** A message larger than this is not a USB transfer of ours: the stream is out of step. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export interface Usb2TcpGreeting {
  readonly vendorId: number;
  readonly productId: number;
  readonly interfaceNumber: number;
}

export interface Usb2TcpTransport extends ByteTransport {
  readonly greeting: Usb2TcpGreeting;
}

/** The bridge spoke something else than usb2tcp. */
export class Usb2TcpProtocolError extends MedicError {
  constructor(message: string) {
    super('TCP_BRIDGE_PROTOCOL', message, {
      hint: 'The address answers but not with QFirehose\'s usb2tcp framing: check the port number, and that the far side runs `QFirehose -p 9008` or `medic sim --tcp`.',
    });
  }
}

export async function connectUsb2Tcp(host: string, port: number, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Usb2TcpTransport> {
  const description = `tcp ${host}:${port}`;
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host, port });
    const fail = (error: Error): void => {
      s.destroy();
      reject(new PortOpenError('TCP_UNREACHABLE', `cannot reach the usb2tcp bridge at ${host}:${port}: ${error.message}`, {
        hint: 'Check the address, that the bridge runs there (`QFirehose -p 9008` next to the module, or `medic sim --tcp`), and that no firewall is in the way.',
        cause: error,
      }));
    };
    s.once('connect', () => {
      s.off('error', fail);
      resolve(s);
    });
    s.once('error', fail);
    options.signal?.addEventListener('abort', () => { fail(new Error('cancelled')); }, { once: true });
  });
  socket.setNoDelay(true);
  const transport = new Usb2Tcp(socket, description);
  return transport.greet(options.timeoutMs ?? 5000);
}

class Usb2Tcp implements Usb2TcpTransport {
  readonly #socket: Socket;
  readonly #queue = new ChunkQueue();
  readonly description: string;
  #buffer: Buffer = Buffer.alloc(0);
  #greeting: Usb2TcpGreeting | undefined;
  #onGreeting: ((greeting: Usb2TcpGreeting | Error) => void) | undefined;
  #closing = false;

  constructor(socket: Socket, description: string) {
    this.#socket = socket;
    this.description = description;
    socket.on('data', (chunk: Buffer) => {
      this.#onData(chunk);
    });
    socket.on('close', () => {
      this.#onGreeting?.(new Usb2TcpProtocolError('the bridge closed the connection before its greeting'));
      this.#queue.end(this.#closing
        ? new TransportClosedError(`${description} is closed`, false)
        : new TransportClosedError(`${description}: the bridge closed the connection`, true, {
            hint: 'The module went away on the far side (reset, power-off, re-enumeration) or the bridge stopped.',
          }));
    });
    socket.on('error', () => undefined);
  }

  get greeting(): Usb2TcpGreeting {
    if (this.#greeting === undefined) throw new Usb2TcpProtocolError('no greeting received');
    return this.#greeting;
  }

  get isOpen(): boolean {
    return !this.#queue.ended && !this.#closing;
  }

  async greet(timeoutMs: number): Promise<this> {
    if (this.#greeting !== undefined) return this;
    const greeting = await new Promise<Usb2TcpGreeting | Error>((resolve) => {
      const timer = setTimeout(() => { resolve(new Usb2TcpProtocolError(`no usb2tcp greeting within ${timeoutMs} ms`)); }, timeoutMs);
      this.#onGreeting = (value) => {
        clearTimeout(timer);
        this.#onGreeting = undefined;
        resolve(value);
      };
    });
    if (greeting instanceof Error) {
      await this.close();
      throw greeting;
    }
    return this;
  }

  read(signal?: AbortSignal): Promise<Uint8Array> {
    return this.#queue.read(signal);
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.isOpen) throw new TransportClosedError(`${this.description} is closed`, false);
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(USB2TCP_MAGIC, 0);
    header.writeUInt32LE(data.byteLength, 4);
    const message = Buffer.concat([header, data]);
    await new Promise<void>((resolve, reject) => {
      this.#socket.write(message, (error) => {
        if (error) reject(new TransportClosedError(`${this.description}: ${error.message}`, true, { cause: error }));
        else resolve();
      });
    });
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#queue.end(new TransportClosedError(`${this.description} is closed`, false));
    await new Promise<void>((resolve) => {
      if (this.#socket.destroyed) {
        resolve();
        return;
      }
      this.#socket.once('close', () => { resolve(); });
      this.#socket.end();
      setTimeout(() => { this.#socket.destroy(); }, 1000).unref();
    });
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    if (this.#greeting === undefined) {
      if (this.#buffer.length < GREETING_BYTES) return;
      const magic = this.#buffer.readUInt32LE(0);
      const size = this.#buffer.readUInt32LE(4);
      if (magic !== USB2TCP_MAGIC || size !== 12) {
        this.#protocolError(`the greeting starts ${this.#buffer.subarray(0, 8).toString('hex')}, not usb2tcp's 78563412 0c000000`);
        return;
      }
      this.#greeting = { vendorId: this.#buffer.readUInt32LE(8), productId: this.#buffer.readUInt32LE(12), interfaceNumber: this.#buffer.readUInt32LE(16) };
      this.#buffer = this.#buffer.subarray(GREETING_BYTES);
      this.#onGreeting?.(this.#greeting);
    }
    while (this.#buffer.length >= HEADER_BYTES) {
      const magic = this.#buffer.readUInt32LE(0);
      const length = this.#buffer.readUInt32LE(4);
      if (magic !== USB2TCP_MAGIC || length > MAX_MESSAGE_BYTES) {
        this.#protocolError(`a message header reads ${this.#buffer.subarray(0, 8).toString('hex')}: the stream is out of step`);
        return;
      }
      if (this.#buffer.length < HEADER_BYTES + length) break;
      const payload = Uint8Array.prototype.slice.call(this.#buffer, HEADER_BYTES, HEADER_BYTES + length);
      this.#buffer = this.#buffer.subarray(HEADER_BYTES + length);
      this.#queue.push(payload);
    }
    if (this.#queue.full && !this.#socket.isPaused()) {
      // TCP's own window then slows the bridge, as a USB host that stops asking for data would.
      this.#socket.pause();
      void this.#queue.room().then(() => this.#socket.resume());
    }
  }

  #protocolError(message: string): void {
    const error = new Usb2TcpProtocolError(message);
    this.#onGreeting?.(error);
    this.#queue.end(error);
    this.#socket.destroy();
  }
}
