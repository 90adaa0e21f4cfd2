import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { MedicError } from '../errors.js';
import { FrameType, PTY_HOST_SOURCE } from './pty-host-source.js';

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

interface PortRecord {
  path: string;
  hostHasOpen: boolean;
  events: DevicePtyEvents;
  closed?: () => void;
}

/** Owns the python3 helper that holds the pty masters of one process (one simulator, one guard). */
export interface PtyHostOptions {
  /** The python3 to run (default: MEDIC_PYTHON, else python3 on PATH). */
  readonly python?: string;
  /**
   * How often the helper looks for a host program opening a port, while some port is not open
   * (ms, default 10). Bytes sent to a port before its open is seen are dropped, so the simulator,
   * whose RDY follows enumeration closely, keeps 10; a long-running service can look less often
   * and stay idle (bench/guard: idle CPU).
   */
  readonly openPollMs?: number;
}

export class PtyHost {
  readonly #child: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly #ports = new Map<number, PortRecord>();
  readonly #opening = new Map<number, { resolve: (path: string) => void; reject: (error: Error) => void }>();
  #buffer: Buffer = Buffer.alloc(0);
  #nextId = 0;
  #exited: Error | undefined;
  #stderr = '';

  private constructor(child: ChildProcessByStdio<Writable, Readable, Readable>) {
    this.#child = child;
    child.stdout.on('data', (chunk: Buffer) => {
      this.#onOutput(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    child.stdin.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      this.#exited = new MedicError('PTY_HELPER_EXITED', `the pty helper exited (${signal ?? String(code)})${this.#stderr ? `: ${this.#stderr.trim()}` : ''}`);
      for (const pending of this.#opening.values()) pending.reject(this.#exited);
      this.#opening.clear();
    });
  }

  static async start(options: PtyHostOptions = {}): Promise<PtyHost> {
    const python = options.python ?? process.env['MEDIC_PYTHON'] ?? 'python3';
    // -I -S: no site-packages and no PYTHON* variables; the helper needs only the standard library,
    // and skipping `site` takes its RSS from ~14 MB to ~9 MB (bench/guard counts it with the guard).
    const args = ['-u', '-I', '-S', '-c', PTY_HOST_SOURCE, String(options.openPollMs ?? 10)];
    const child = spawn(python, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) => {
        reject(new MedicError('PTY_UNAVAILABLE', `cannot start ${python} for pseudo-terminals: ${error.message}`, {
          hint: 'Pseudo-terminals (the simulator\'s ports, the guard\'s AT proxy) need python3 (Debian: apt-get install python3), or set MEDIC_PYTHON to its path.',
          cause: error,
        }));
      });
    });
    return new PtyHost(child);
  }

  async open(): Promise<DevicePty> {
    if (this.#exited) throw this.#exited;
    this.#nextId = (this.#nextId + 1) % 256;
    const id = this.#nextId;
    const path = await new Promise<string>((resolve, reject) => {
      this.#opening.set(id, { resolve, reject });
      this.#send(FrameType.Open, id);
    });
    const record: PortRecord = { path, hostHasOpen: false, events: {} };
    this.#ports.set(id, record);
    return {
      id,
      path,
      get hostHasOpen() {
        return record.hostHasOpen;
      },
      write: (bytes) => {
        if (!this.#ports.has(id)) return;
        this.#send(FrameType.Data, id, typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
      },
      on: (events) => {
        Object.assign(record.events, events);
      },
      close: () =>
        new Promise<void>((resolve) => {
          if (!this.#ports.has(id) || this.#exited) {
            this.#ports.delete(id);
            resolve();
            return;
          }
          record.closed = resolve;
          this.#send(FrameType.Close, id);
        }),
    };
  }

  async stop(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => { resolve(); }));
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }

  #send(type: FrameType, id: number, payload: Uint8Array = new Uint8Array(0)): void {
    const header = Buffer.alloc(6);
    header.writeUInt8(type, 0);
    header.writeUInt8(id, 1);
    header.writeUInt32BE(payload.length, 2);
    this.#child.stdin.write(payload.length === 0 ? header : Buffer.concat([header, payload]));
  }

  #onOutput(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    while (this.#buffer.length >= 6) {
      const length = this.#buffer.readUInt32BE(2);
      if (this.#buffer.length < 6 + length) return;
      const type = this.#buffer.readUInt8(0);
      const id = this.#buffer.readUInt8(1);
      const payload = this.#buffer.subarray(6, 6 + length);
      this.#buffer = this.#buffer.subarray(6 + length);
      this.#onFrame(type, id, payload);
    }
  }

  #onFrame(type: number, id: number, payload: Buffer): void {
    const record = this.#ports.get(id);
    switch (type) {
      case FrameType.Opened:
        this.#opening.get(id)?.resolve(payload.toString());
        this.#opening.delete(id);
        return;
      case FrameType.Data:
        record?.events.data?.(new Uint8Array(payload));
        return;
      case FrameType.HostOpen:
        if (record) record.hostHasOpen = true;
        record?.events.hostOpen?.();
        return;
      case FrameType.HostClose:
        if (record) record.hostHasOpen = false;
        record?.events.hostClose?.();
        return;
      case FrameType.Closed:
        this.#ports.delete(id);
        record?.closed?.();
        return;
      default:
        this.#stderr += `\n${payload.toString()}`;
    }
  }
}
