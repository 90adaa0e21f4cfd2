import { connect, type Socket } from 'node:net';
import { MedicError } from '../core/errors.js';
import type { ByteTransport } from './byte-transport.js';
import { ChunkQueue } from './chunk-queue.js';
import { ReceivePool, type ReceiveSlab } from './receive-pool.js';
import { PortOpenError, TransportClosedError } from './errors.js';

// QFirehose's "usb2tcp" bridge (edl sheet §3): a module attached to another machine is flashed
// over TCP. The server first sends a 20-byte greeting {magic, 12, idVendor, idProduct,
// interface}; then every message in both directions is {magic, length} + payload: one USB
// transfer each. Writes keep that (one message per write); reads deliver the payload bytes in
// order, cut wherever TCP cut them, as a tty would. The fields are the C structs' u32s in the
// host's native order; QFirehose runs on little-endian x86/ARM hosts, so little-endian here (the
// sheet does not say — UNVERIFIED beyond "it worked against QFirehose on x86").

export const USB2TCP_MAGIC = 0x12345678;
const GREETING_BYTES = 20;
const HEADER_BYTES = 8;
const EMPTY = Buffer.alloc(0);
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
  const transport = new Usb2Tcp(description);
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host, port, onread: transport.onread });
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
  transport.attach(socket);
  return transport.greet(options.timeoutMs ?? 5000);
}

class Usb2Tcp implements Usb2TcpTransport {
  #socket: Socket | undefined;
  readonly #queue = new ChunkQueue();
  /** The socket reads into these (net's `onread`); a slab is reused once its bytes are taken. */
  readonly #pool = new ReceivePool();
  #slab: ReceiveSlab | undefined;
  readonly description: string;
  /** The start of a greeting or message header that a TCP read cut short. */
  #head: Buffer = EMPTY;
  /** Payload bytes of the current message still to come in later reads. */
  #payloadLeft = 0;
  #greeting: Usb2TcpGreeting | undefined;
  #onGreeting: ((greeting: Usb2TcpGreeting | Error) => void) | undefined;
  #closing = false;

  readonly onread = {
    buffer: (): Uint8Array => {
      this.#slab = this.#pool.take();
      return this.#slab.bytes;
    },
    callback: (count: number): boolean => this.#onRead(count),
  };

  constructor(description: string) {
    this.description = description;
  }

  attach(socket: Socket): void {
    this.#socket = socket;
    socket.on('close', () => {
      this.#onGreeting?.(new Usb2TcpProtocolError('the bridge closed the connection before its greeting'));
      this.#queue.end(this.#closing
        ? new TransportClosedError(`${this.description} is closed`, false)
        : new TransportClosedError(`${this.description}: the bridge closed the connection`, true, {
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

  readInto(into: Uint8Array, signal?: AbortSignal): Promise<number> {
    return this.#queue.readInto(into, signal);
  }

  async write(data: Uint8Array): Promise<void> {
    const socket = this.#socket;
    if (!this.isOpen || socket === undefined) throw new TransportClosedError(`${this.description} is closed`, false);
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    header.writeUInt32LE(USB2TCP_MAGIC, 0);
    header.writeUInt32LE(data.byteLength, 4);
    // Corked, header and payload leave in one writev: no copy of a megabyte payload to prepend 8 bytes.
    socket.cork();
    const written = new Promise<void>((resolve, reject) => {
      socket.write(header);
      socket.write(data, (error) => {
        if (error) reject(new TransportClosedError(`${this.description}: ${error.message}`, true, { cause: error }));
        else resolve();
      });
    });
    socket.uncork();
    await written;
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#queue.end(new TransportClosedError(`${this.description} is closed`, false));
    const socket = this.#socket;
    await new Promise<void>((resolve) => {
      if (socket === undefined || socket.destroyed) {
        resolve();
        return;
      }
      socket.once('close', () => { resolve(); });
      socket.end();
      setTimeout(() => { socket.destroy(); }, 1000).unref();
    });
  }

  /**
   * One TCP read, in the slab the socket was given. Payload bytes go to the queue as views of the
   * slab (a message longer than one read arrives in several chunks; readers of a byte stream do
   * not depend on transfer boundaries); headers are parsed and dropped. Returns false (pause the
   * socket) while every slab holds bytes no one has taken: TCP's window then slows the bridge, as
   * a USB host that stops asking for data would.
   */
  #onRead(count: number): boolean {
    const slab = this.#slab;
    if (slab === undefined) return true;
    const chunk = slab.bytes.subarray(0, count);
    let at = 0;
    while (at < chunk.length && !this.#queue.ended) {
      if (this.#payloadLeft > 0) {
        const take = Math.min(this.#payloadLeft, chunk.length - at);
        this.#queue.push(chunk.subarray(at, at + take), slab.hold());
        this.#payloadLeft -= take;
        at += take;
        continue;
      }
      const need = this.#greeting === undefined ? GREETING_BYTES : HEADER_BYTES;
      const missing = need - this.#head.length;
      if (chunk.length - at < missing) {
        this.#head = Buffer.concat([this.#head, chunk.subarray(at)]);
        break;
      }
      // A header inside this read is read in place; only one cut short by the last read is joined.
      const head = this.#head.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset + at, need) : Buffer.concat([this.#head, chunk.subarray(at, at + missing)]);
      this.#head = EMPTY;
      at += missing;
      const magic = head.readUInt32LE(0);
      const length = head.readUInt32LE(4);
      if (this.#greeting === undefined) {
        if (magic !== USB2TCP_MAGIC || length !== 12) {
          this.#protocolError(`the greeting starts ${head.subarray(0, 8).toString('hex')}, not usb2tcp's 78563412 0c000000`);
          break;
        }
        this.#greeting = { vendorId: head.readUInt32LE(8), productId: head.readUInt32LE(12), interfaceNumber: head.readUInt32LE(16) };
        this.#onGreeting?.(this.#greeting);
        continue;
      }
      if (magic !== USB2TCP_MAGIC || length > MAX_MESSAGE_BYTES) {
        this.#protocolError(`a message header reads ${head.subarray(0, 8).toString('hex')}: the stream is out of step`);
        break;
      }
      this.#payloadLeft = length;
    }
    slab.received();
    if (!this.#pool.exhausted) return true;
    this.#pool.onFree(() => this.#socket?.resume());
    return false;
  }

  #protocolError(message: string): void {
    const error = new Usb2TcpProtocolError(message);
    this.#onGreeting?.(error);
    this.#queue.end(error);
    this.#socket?.destroy();
  }
}
