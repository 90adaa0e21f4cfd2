import { read as fsRead } from 'node:fs';
import { promisify } from 'node:util';
import type { BindingInterface, BindingPortInterface } from '@serialport/bindings-cpp';
import { withSignal } from '../core/time.js';
import type { ByteTransport } from './byte-transport.js';
import { ChunkQueue } from './chunk-queue.js';
import { ReceivePool, type ReceiveSlab } from './receive-pool.js';
import { PortOpenError, TransportClosedError } from './errors.js';

const readFd = promisify(fsRead);
/** A slab with less room than this is not read into again: a tty read brings up to a few KB. */
const MIN_READ_BYTES = 4096;

export interface SerialOptions {
  readonly path: string;
  /** Irrelevant over USB (qcserial/option ignore it) but a real UART needs it. */
  readonly baudRate?: number;
  /** The injected binding seam (node-serialport): tests may pass @serialport/binding-mock. */
  readonly binding?: BindingInterface;
  /** flock the port so two programs cannot interleave commands; on by default. */
  readonly lock?: boolean;
}

/** Opens a serial port (a ttyUSB of the module, a COM port, or a pseudo-terminal). */
export async function openSerial(options: SerialOptions): Promise<ByteTransport> {
  // The native binding (and its node-gyp-build and debug, ~7 MB of RSS) is loaded by the first
  // open: a flash over TCP or USB never needs it.
  const binding = options.binding ?? (await import('@serialport/bindings-cpp')).default.autoDetect();
  let port: BindingPortInterface;
  try {
    port = await binding.open({ path: options.path, baudRate: options.baudRate ?? 115200, lock: options.lock ?? true });
  } catch (error) {
    throw describeOpenError(options.path, error);
  }
  return new SerialTransport(port, options.path);
}

function describeOpenError(path: string, error: unknown): PortOpenError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const has = (needle: string): boolean => code === needle || message.includes(needle);
  if (has('ENOENT') || has('No such file')) {
    return new PortOpenError('PORT_NOT_FOUND', `${path} does not exist`, {
      hint: 'Check the path. `medic scan` lists the module ports the host sees; the AT port of an EC25 is usually the third ttyUSB (interface 2). No ports at all means the module is off, in 9008, or not on USB.',
      cause: error,
    });
  }
  if (has('lock') || has('EAGAIN') || has('EWOULDBLOCK') || has('Resource temporarily unavailable')) {
    return new PortOpenError('PORT_BUSY', `${path} is in use by another program`, {
      hint: `Find it with \`fuser -v ${path}\`. ModemManager grabs Quectel ports: \`systemctl stop ModemManager\` (or give the port ID_MM_PORT_IGNORE in udev).`,
      cause: error,
    });
  }
  if (has('EACCES') || has('EPERM') || has('Permission denied')) {
    return new PortOpenError('PORT_PERMISSION', `no permission to open ${path}`, {
      hint: 'Add your user to the dialout group (`sudo usermod -aG dialout $USER`, then log in again), or run as root.',
      cause: error,
    });
  }
  if (has('ENOTTY') || has('Inappropriate ioctl')) {
    return new PortOpenError('PORT_NOT_SERIAL', `${path} is not a serial port`, {
      hint: 'Pass a tty device such as /dev/ttyUSB2, not a file or a directory.',
      cause: error,
    });
  }
  return new PortOpenError('PORT_OPEN_FAILED', `cannot open ${path}: ${message}`, { cause: error });
}

interface PollerLike {
  once(event: 'readable', listener: (error: Error | null) => void): void;
}

class SerialTransport implements ByteTransport {
  readonly #port: BindingPortInterface;
  readonly #queue = new ChunkQueue();
  readonly #pool = new ReceivePool();
  readonly description: string;
  #closing = false;

  constructor(port: BindingPortInterface, path: string) {
    this.#port = port;
    this.description = `serial ${path}`;
    void this.#pump();
  }

  get isOpen(): boolean {
    return !this.#queue.ended && !this.#closing;
  }

  read(signal?: AbortSignal): Promise<Uint8Array> {
    return this.#queue.read(signal);
  }

  readInto(into: Uint8Array, signal?: AbortSignal): Promise<number> {
    return this.#queue.readInto(into, signal);
  }

  async write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    if (!this.isOpen) throw new TransportClosedError(`${this.description} is closed`, false);
    try {
      await withSignal(this.#port.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength)), signal);
    } catch (error) {
      if (this.#closing) throw new TransportClosedError(`${this.description} is closed`, false, { cause: error });
      if (isDisconnect(error)) {
        const closed = this.#disconnected(error);
        throw closed;
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#queue.end(new TransportClosedError(`${this.description} is closed`, false));
    if (this.#port.isOpen) await this.#port.close().catch(() => undefined);
  }

  #stopped(): boolean {
    return this.#closing || !this.#port.isOpen;
  }

  #disconnected(cause: unknown): TransportClosedError {
    const error = new TransportClosedError(`${this.description}: the device went away`, true, {
      hint: 'The module dropped off USB: it rebooted, powered off, or switched mode (for example to 9008). `medic scan` shows what the host sees now.',
      cause,
    });
    this.#queue.end(error);
    if (this.#port.isOpen) void this.#port.close().catch(() => undefined);
    return error;
  }

  async #pump(): Promise<void> {
    let slab: ReceiveSlab | undefined;
    let used = 0;
    for (;;) {
      try {
        // Each read fills the slab on from where the last one stopped (a tty gives a few KB per
        // read); a slab goes back to the pool once its bytes are taken.
        if (slab === undefined || slab.bytes.length - used < MIN_READ_BYTES) {
          slab?.received();
          // Every slab waiting for the reader: leave further bytes in the tty's buffer (and the
          // device's flow control) until it catches up.
          if (this.#pool.exhausted) await new Promise<void>((resolve) => { this.#pool.onFree(resolve); });
          slab = this.#pool.take();
          used = 0;
        }
        const bytesRead = await this.#readOnce(slab.bytes.subarray(used));
        if (bytesRead === 0) {
          // A hung-up tty (USB unplug, pty master closed) reads 0 forever; bindings-cpp's own
          // read loop would spin on it, which is why this transport reads the fd itself.
          this.#disconnected(new Error('end of file on tty'));
          return;
        }
        this.#queue.push(slab.bytes.subarray(used, used + bytesRead), slab.hold());
        used += bytesRead;
      } catch (error) {
        if (this.#closing) return;
        this.#disconnected(error);
        return;
      }
    }
  }

  async #readOnce(into: Uint8Array): Promise<number> {
    const fd = (this.#port as { fd?: unknown }).fd;
    const poller = (this.#port as { poller?: PollerLike }).poller;
    if (typeof fd !== 'number' || poller === undefined) {
      // Not the Unix binding (Windows, or the mock): its read already waits for data.
      const { bytesRead } = await this.#port.read(Buffer.from(into.buffer, into.byteOffset, into.byteLength), 0, into.byteLength);
      return bytesRead;
    }
    for (;;) {
      if (this.#closing) throw new TransportClosedError(`${this.description} is closed`, false);
      try {
        const { bytesRead } = await readFd(fd, into, 0, into.byteLength, null);
        return bytesRead;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw error;
        // close() may have run while the read was in the thread pool: polling a destroyed
        // poller crashes the process (bindings-cpp 13), so look before polling.
        if (this.#stopped()) throw new TransportClosedError(`${this.description} is closed`, false);
        await new Promise<void>((resolve, reject) => {
          poller.once('readable', (pollError) => {
            if (pollError === null) resolve();
            else reject(pollError);
          });
        });
      }
    }
  }
}

function isDisconnect(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EIO' || code === 'ENXIO' || code === 'EBADF' || (error as { disconnect?: unknown } | null)?.disconnect === true;
}
