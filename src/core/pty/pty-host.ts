// Raw pseudo-terminals in this process: the simulator's serial ports and the guard's AT proxy as
// applications see them. The addon (native/pty) opens a master whose slave is already raw and
// polls it; reads, writes and the open/close rules are here.
//
// Nobody but the host program holds the slave, so the master tells whether one has it open: a
// read gives EIO while nobody does. Bytes the module sends meanwhile are dropped, as a USB serial
// driver drops them while its tty is closed; a pty would otherwise hand them to the next program
// that opens it. A master polls ready (POLLHUP) the whole time its slave is closed, so an open is
// looked for between polls instead of waited for.
import { closeSync, readSync, writeSync } from 'node:fs';
import { MedicError } from '../errors.js';
import { loadPtyAddon, type FdPoll, type PtyAddon } from './pty-addon.js';

export interface DevicePtyEvents {
  /** Bytes a host program wrote to the port. */
  data?: (bytes: Uint8Array) => void;
  /** A host program opened / closed the port. */
  hostOpen?: () => void;
  hostClose?: () => void;
}

/** The device side of a raw pseudo-terminal: a simulated serial port, or the guard's AT proxy as applications see it. */
export interface DevicePty {
  readonly id: number;
  /** The slave device a host program opens, e.g. /dev/pts/7. */
  readonly path: string;
  readonly hostHasOpen: boolean;
  /** Sends bytes to the host; dropped while no host program has the port open. */
  write(bytes: Uint8Array | string): void;
  on(events: DevicePtyEvents): void;
  /** The port vanishes: an open host sees a hang-up, as when a USB device goes away. */
  close(): Promise<void>;
}

export interface PtyHostOptions {
  /**
   * How often to look for a host program opening a port nobody has open (ms, default 10). Bytes
   * sent to a port before its open is seen are dropped, so the simulator, whose RDY follows
   * enumeration closely, keeps 10; a long-running service can look less often and stay idle
   * (bench/guard: idle CPU).
   */
  readonly openPollMs?: number;
}

// libuv's uv_poll_event values.
const READABLE = 1;
const WRITABLE = 2;
/** Most a master hands over per read (n_tty keeps 4 KiB per direction; 64 KiB takes any backlog at once). */
const READ_BYTES = 64 * 1024;

type ReadOutcome = { readonly bytes: number } | 'empty' | 'no-host';

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** One port: the master's fd, its poll, and what waits to be written to the host. */
class RawPtyPort implements DevicePty {
  readonly id: number;
  readonly path: string;
  readonly #fd: number;
  readonly #addon: PtyAddon;
  readonly #poll: FdPoll;
  readonly #readBuffer: Buffer;
  readonly #openPollMs: number;
  readonly #events: DevicePtyEvents = {};
  readonly #onClosed: () => void;
  /** Bytes for the host that the master did not take yet (USB has flow control: never dropped while the host has the port open). */
  #pending: Buffer[] = [];
  #hostHasOpen = false;
  #closed = false;
  #lookForOpen: NodeJS.Timeout | undefined;

  constructor({ addon, id, readBuffer, openPollMs, onClosed }: { addon: PtyAddon; id: number; readBuffer: Buffer; openPollMs: number; onClosed: () => void }) {
    const { fd, path } = addon.openRawPty();
    this.id = id;
    this.path = path;
    this.#fd = fd;
    this.#addon = addon;
    this.#readBuffer = readBuffer;
    this.#openPollMs = openPollMs;
    this.#onClosed = onClosed;
    try {
      this.#poll = new addon.FdPoll(fd, (status, events) => {
        this.#onPoll(status, events);
      });
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.#waitForHost();
  }

  get hostHasOpen(): boolean {
    return this.#hostHasOpen;
  }

  on(events: DevicePtyEvents): void {
    Object.assign(this.#events, events);
  }

  write(bytes: Uint8Array | string): void {
    if (!this.#serving()) return;
    const chunk = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    if (chunk.length === 0) return;
    let offset = 0;
    if (this.#pending.length === 0) {
      const written = this.#writeSome(chunk);
      if (written === undefined) return;
      offset = written;
    }
    // The caller may reuse its buffer once write() returns, so what waits is a copy.
    if (offset < chunk.length) {
      this.#pending.push(Buffer.from(chunk.subarray(offset)));
      this.#arm();
    }
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#hostHasOpen = false;
    this.#pending = [];
    clearInterval(this.#lookForOpen);
    this.#poll.close();
    this.#onClosed();
    // uv_poll has let go of the fd once close() returned; closing it is the hang-up the host sees.
    return new Promise((resolve) => {
      setImmediate(() => {
        closeSync(this.#fd);
        resolve();
      });
    });
  }

  #onPoll(status: number, events: number): void {
    if (this.#closed) return;
    if (status < 0) {
      this.#hostGone();
      return;
    }
    if (events & READABLE) {
      const outcome = this.#read();
      if (outcome === 'no-host') {
        this.#hostGone();
        return;
      }
      if (outcome !== 'empty') this.#events.data?.(new Uint8Array(this.#readBuffer.subarray(0, outcome.bytes)));
    }
    if (events & WRITABLE && this.#serving()) this.#flush();
  }

  #read(): ReadOutcome {
    try {
      const bytes = readSync(this.#fd, this.#readBuffer, 0, READ_BYTES, null);
      return bytes === 0 ? 'empty' : { bytes };
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EAGAIN') return 'empty';
      if (code === 'EIO') return 'no-host';
      throw error;
    }
  }

  /** Writes what the master takes now (0 when it takes nothing); undefined when the host has gone. */
  #writeSome(bytes: Uint8Array): number | undefined {
    try {
      return writeSync(this.#fd, bytes);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EAGAIN') return 0;
      if (code !== 'EIO') throw error;
      this.#hostGone();
      return undefined;
    }
  }

  #flush(): void {
    while (this.#pending.length > 0) {
      const first = this.#pending[0] as Buffer;
      const written = this.#writeSome(first);
      if (written === undefined) return;
      if (written < first.length) {
        this.#pending[0] = first.subarray(written);
        break;
      }
      this.#pending.shift();
    }
    this.#arm();
  }

  /** Open here and by a host: an event handler may have closed the port or seen the host go. */
  #serving(): boolean {
    return !this.#closed && this.#hostHasOpen;
  }

  #arm(): void {
    if (!this.#serving()) return;
    this.#poll.start(READABLE | (this.#pending.length > 0 ? WRITABLE : 0));
  }

  #hostGone(): void {
    if (!this.#hostHasOpen) return;
    this.#hostHasOpen = false;
    this.#pending = [];
    this.#poll.stop();
    this.#events.hostClose?.();
    if (!this.#closed) this.#waitForHost();
  }

  #waitForHost(): void {
    // A poll(2) in the addon, not a read: a read would throw EIO ten times a second in an idle guard.
    this.#lookForOpen = setInterval(() => {
      if (this.#closed || !this.#addon.hostHasOpen(this.#fd)) return;
      clearInterval(this.#lookForOpen);
      this.#lookForOpen = undefined;
      this.#hostHasOpen = true;
      this.#events.hostOpen?.();
      this.#arm();
    }, this.#openPollMs);
  }
}

/** The pseudo-terminals of one process (one simulator, one guard). */
export class PtyHost {
  readonly #addon: PtyAddon;
  readonly #openPollMs: number;
  readonly #ports = new Set<RawPtyPort>();
  // One read buffer for every port: a read's bytes are copied out before the next read.
  readonly #readBuffer = Buffer.allocUnsafe(READ_BYTES);
  #nextId = 0;
  #stopped = false;

  private constructor(addon: PtyAddon, options: PtyHostOptions) {
    this.#addon = addon;
    this.#openPollMs = options.openPollMs ?? 10;
  }

  static start(options: PtyHostOptions = {}): Promise<PtyHost> {
    return Promise.resolve().then(() => new PtyHost(loadPtyAddon(), options));
  }

  open(): Promise<DevicePty> {
    if (this.#stopped) {
      return Promise.reject(new MedicError('PTY_STOPPED', 'this process\'s pseudo-terminals were already shut down', {
        hint: 'The simulator or guard that owns them is stopping; start it again for new ports.',
      }));
    }
    try {
      const port: RawPtyPort = new RawPtyPort({
        addon: this.#addon,
        id: ++this.#nextId,
        readBuffer: this.#readBuffer,
        openPollMs: this.#openPollMs,
        onClosed: () => this.#ports.delete(port),
      });
      this.#ports.add(port);
      return Promise.resolve(port);
    } catch (error) {
      return Promise.reject(new MedicError('PTY_OPEN_FAILED', `cannot create a pseudo-terminal: ${error instanceof Error ? error.message : String(error)}`, {
        hint: 'The host may be out of ptys (see /proc/sys/kernel/pty/max and nr) or have no /dev/pts mounted.',
        cause: error,
      }));
    }
  }

  /** Closes every port (an open host sees a hang-up). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all([...this.#ports].map((port) => port.close()));
  }
}
