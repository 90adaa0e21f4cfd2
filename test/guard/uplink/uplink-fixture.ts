import { randomUUID } from 'node:crypto';
import { connect as tcpConnect, createServer, type AddressInfo, type Socket } from 'node:net';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { sleep } from '../../../src/core/time.js';
import type { FleetServer } from '../../../src/fleet/index.js';
import { RiskJournal } from '../../../src/guard/journal/index.js';
import type { UplinkClock } from '../../../src/guard/uplink/index.js';

/** A unit id of its own per test, so runs on the shared Mosquitto and PostgreSQL never meet. */
export function freshUnit(name: string): string {
  return `${name}-${randomUUID().slice(0, 8)}`;
}

export interface TcpProxy {
  readonly port: number;
  /** The broker or server "goes down": live connections are cut, new ones are dropped at once. */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

/** A TCP proxy in front of a real broker or server, to take it away and bring it back. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let open = true;
  const server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = tcpConnect(target.port, target.host);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', end);
      socket.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const down = (): void => {
    open = false;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    port: (server.address() as AddressInfo).port,
    down,
    up: () => {
      open = true;
    },
    close: async () => {
      down();
      await new Promise<void>((resolve) => server.close(() => {
        resolve();
      }));
    },
  };
}

/** The guard host's clock, moved by the test: a simulated day passes in a few seconds. */
export class SimulatedHostClock {
  #ms = Date.UTC(2026, 10, 23, 0, 0, 0);
  #mono = 5_000;
  wallTime(): Date {
    return new Date(this.#ms);
  }
  monoMs(): number {
    return this.#mono;
  }
  advance(ms: number): void {
    this.#ms += ms;
    this.#mono += ms;
  }
}

/** The uplink's clock at `scale` (0.001: a 5-minute backoff takes 300 ms), recording each wait. */
export function scaledClock(scale: number): UplinkClock & { readonly waits: number[] } {
  const realStart = Date.now();
  const simStart = Date.UTC(2026, 10, 23, 0, 0, 0);
  const waits: number[] = [];
  return {
    waits,
    now: () => new Date(simStart + (Date.now() - realStart) / scale),
    sleep: (ms, signal) => {
      waits.push(ms);
      return sleep(ms * scale, signal);
    },
  };
}

export async function openJournal(dir: string, unit: string, clock = new SimulatedHostClock()): Promise<RiskJournal> {
  return RiskJournal.open(dir, { unitId: unit, clock });
}

/** Appends `count` VBAT samples, one per `everyMs` of simulated time. */
export async function appendSamples(journal: RiskJournal, clock: SimulatedHostClock, options: { count: number; everyMs: number }): Promise<void> {
  for (let index = 0; index < options.count; index += 1) {
    clock.advance(options.everyMs);
    await journal.append({ type: 'vbat-sample', data: { mV: 3700 + (index % 200) } });
  }
}

/** The seqs the fleet server stored for `unit`, in seq order. */
export async function storedSeqs(server: FleetServer, unit: string): Promise<number[]> {
  return (await server.store.unitEvents(unit, { after: 0, limit: 1_000_000 })).map((event) => event.seq);
}

export async function unitStatus(server: FleetServer, unit: string): Promise<string | null | undefined> {
  return (await server.store.listUnits()).find((row) => row.id === unit)?.status;
}

export function oneToN(n: number): number[] {
  return Array.from({ length: n }, (_, index) => index + 1);
}

export interface WireObserver {
  /** Every event seq seen on the unit's events topic, in arrival order, copies included. */
  readonly seqs: number[];
  readonly client: MqttClient;
  close(): Promise<void>;
}

/** Watches the unit's events topic on the broker itself: what actually went over the wire. */
export async function observeEvents(url: string, topic: string, options: IClientOptions = {}): Promise<WireObserver> {
  const client = await connectAsync(url, { reconnectPeriod: 0, clientId: `uplink-test-observer-${randomUUID()}`, ...options });
  const seqs: number[] = [];
  client.on('message', (_topic, payload) => {
    const { events } = JSON.parse(payload.toString('utf8')) as { events: { seq: number }[] };
    seqs.push(...events.map((event) => event.seq));
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return { seqs, client, close: () => client.endAsync() };
}
