// A scripted EDL host for tests of the simulator's download mode: loads a programmer over Sahara,
// then drives Firehose (configure, erase, program, power). Written from the edl sheet (§1.7,
// §2.3–2.7) and the usb2tcp framing of §3 — byte for byte here, not from src/protocols.
import { connect, type Socket } from 'node:net';
import type { ByteTransport } from '../../src/transport/byte-transport.js';
import { openSerial } from '../../src/transport/serial.js';
import { firehoseDoc, helloResp, sahara, words } from './edl-bytes.js';

export interface HostLink {
  write(bytes: Uint8Array): Promise<void>;
  /** The next bytes (a tty: any piece; TCP: one message). */
  read(signal: AbortSignal): Promise<Uint8Array>;
  close(): Promise<void>;
}

export async function serialLink(path: string): Promise<HostLink> {
  const transport: ByteTransport = await openSerial({ path });
  return { write: (bytes) => transport.write(bytes), read: (signal) => transport.read(signal), close: () => transport.close() };
}

/** The usb2tcp client side: reads the 20-byte greeting, then frames every message both ways. */
export class TcpLink implements HostLink {
  readonly greeting: number[];
  readonly #socket: Socket;
  readonly #messages: Uint8Array[] = [];
  readonly #waiters: (() => void)[] = [];
  #pending: Buffer;
  #closed = false;
  /** Every byte the client wrote, in order, framing included (for byte-exact checks). */
  readonly sent: Buffer[] = [];

  private constructor(socket: Socket, greeting: number[], rest: Buffer) {
    this.#socket = socket;
    this.greeting = greeting;
    this.#pending = rest;
    socket.on('data', (chunk: Buffer) => {
      this.#pending = Buffer.concat([this.#pending, chunk]);
      this.#deframe();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
    this.#deframe();
  }

  static async open(address: string, timeoutMs = 10_000): Promise<TcpLink> {
    const [host = '127.0.0.1', port = '0'] = address.split(':');
    const socket = connect({ host, port: Number(port) });
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no usb2tcp greeting from ${address}`));
      }, timeoutMs);
      const on = (chunk: Buffer): void => {
        buffer = Buffer.concat([buffer, chunk]);
        if (buffer.length < 20) return;
        clearTimeout(timer);
        socket.off('data', on);
        resolve();
      };
      socket.on('data', on);
      socket.once('close', () => {
        clearTimeout(timer);
        reject(new Error('closed before the greeting'));
      });
    });
    return new TcpLink(socket, words(buffer.subarray(0, 20)), buffer.subarray(20));
  }

  async write(bytes: Uint8Array): Promise<void> {
    const header = Buffer.alloc(8);
    header.writeUInt32LE(0x12345678, 0);
    header.writeUInt32LE(bytes.length, 4);
    const frame = Buffer.concat([header, bytes]);
    this.sent.push(frame);
    await new Promise<void>((resolve, reject) => {
      this.#socket.write(frame, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  async read(signal: AbortSignal): Promise<Uint8Array> {
    for (;;) {
      const next = this.#messages.shift();
      if (next !== undefined) return next;
      if (this.#closed) throw new Error('the bridge closed the connection');
      signal.throwIfAborted();
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.#waiters.push(done);
        signal.addEventListener('abort', done);
      });
    }
  }

  async close(): Promise<void> {
    this.#socket.destroy();
    await Promise.resolve();
  }

  get closed(): boolean {
    return this.#closed;
  }

  #deframe(): void {
    while (this.#pending.length >= 8) {
      if (this.#pending.readUInt32LE(0) !== 0x12345678) throw new Error('bad usb2tcp magic from the bridge');
      const length = this.#pending.readUInt32LE(4);
      if (this.#pending.length < 8 + length) return;
      this.#messages.push(Uint8Array.from(this.#pending.subarray(8, 8 + length)));
      this.#pending = this.#pending.subarray(8 + length);
    }
    this.#wake();
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
}

export class EdlHost {
  readonly link: HostLink;
  #pending = Buffer.alloc(0);
  readonly #timeoutMs: number;

  constructor(link: HostLink, timeoutMs = 20_000) {
    this.link = link;
    this.#timeoutMs = timeoutMs;
  }

  async bytes(count: number): Promise<Uint8Array> {
    while (this.#pending.length < count) this.#pending = Buffer.concat([this.#pending, await this.link.read(AbortSignal.timeout(this.#timeoutMs))]);
    const out = this.#pending.subarray(0, count);
    this.#pending = this.#pending.subarray(count);
    return Uint8Array.from(out);
  }

  /** Device documents up to and including the first that contains `marker`. */
  async until(marker: string): Promise<string> {
    while (!this.#doneAt(marker)) this.#pending = Buffer.concat([this.#pending, await this.link.read(AbortSignal.timeout(this.#timeoutMs))]);
    const text = this.#pending.toString('latin1');
    const end = text.indexOf('</data>', text.indexOf(marker)) + '</data>'.length;
    this.#pending = this.#pending.subarray(end);
    return text.slice(0, end);
  }

  #doneAt(marker: string): boolean {
    const text = this.#pending.toString('latin1');
    const at = text.indexOf(marker);
    return at >= 0 && text.indexOf('</data>', at) >= 0;
  }

  /** Sahara (§1.7): HELLO → HELLO_RESP mode 0 → READ_DATA… → END_IMAGE_TX → DONE → DONE_RESP. */
  async loadProgrammer(programmer: Uint8Array): Promise<void> {
    const hello = words(await this.bytes(0x30));
    if (hello[0] !== 1) throw new Error(`expected HELLO, got command ${hello[0]}`);
    await this.link.write(helloResp(0));
    for (;;) {
      const [command = 0, length = 0] = words(await this.bytes(8));
      const rest = words(await this.bytes(length - 8));
      if (command === 0x03) {
        const [, offset = 0, size = 0] = rest;
        await this.link.write(programmer.subarray(offset, offset + size));
        continue;
      }
      if (command !== 0x04 || rest[1] !== 0) throw new Error(`Sahara: command ${command} ${JSON.stringify(rest)}`);
      break;
    }
    await this.link.write(sahara(0x05));
    const done = words(await this.bytes(12));
    if (done[0] !== 6) throw new Error(`expected DONE_RESP, got ${done[0]}`);
    await this.until('Supported Functions');
  }

  /** One Firehose command; resolves with the device's documents through its response. */
  async command(element: string): Promise<string> {
    await this.link.write(firehoseDoc(element));
    return this.until('<response value=');
  }

  async configure(): Promise<string> {
    return this.command('<configure MemoryName="nand" MaxPayloadSizeToTargetInBytes="8192" ZlpAwareHost="0" SkipStorageInit="0" SkipWrite="0" />');
  }

  async erase(startPage: number, pages: number, pageSize = 4096): Promise<string> {
    return this.command(`<erase SECTOR_SIZE_IN_BYTES="${pageSize}" num_partition_sectors="${pages}" physical_partition_number="0" start_sector="${startPage}" PAGES_PER_BLOCK="64" />`);
  }

  /** <program> then the raw pages (the image padded with 0xFF to whole pages), then its final ACK. */
  async program(startPage: number, image: Uint8Array, filename: string, pageSize = 4096): Promise<string> {
    const count = Math.ceil(image.length / pageSize);
    const first = await this.command(`<program SECTOR_SIZE_IN_BYTES="${pageSize}" filename="${filename}" num_partition_sectors="${count}" physical_partition_number="0" start_sector="${startPage}" PAGES_PER_BLOCK="64" />`);
    if (!first.includes('rawmode="true"')) throw new Error(`program refused: ${first}`);
    const data = new Uint8Array(count * pageSize).fill(0xff);
    data.set(image);
    for (let at = 0; at < data.length; at += 8192) await this.link.write(data.subarray(at, at + 8192));
    return this.until('<response value=');
  }

  async reset(): Promise<string> {
    return this.command('<power value="reset" />');
  }
}
