// A booted simulator, the proxy in front of its AT port, a journal, and a fake clock: what the
// proxy tests share. Everything runs through real ptys: app → proxy pty → proxy → sim pty.
import { AtClient } from '../../../src/protocols/at/client.js';
import { openSerial } from '../../../src/transport/serial.js';
import { RiskJournal } from '../../../src/guard/journal/risk-journal.js';
import type { RiskEvent } from '../../../src/guard/events/event.js';
import { startAtProxy, type AtProxy, type AtProxyOptions } from '../../../src/guard/proxy/index.js';
import type { ProxyClock } from '../../../src/guard/proxy/clock.js';
import type { RunningSimulator, SimulatorOptions } from '../../../src/sim/simulator.js';
import { atPortOf, bootedSimulator } from '../../helpers/booted-sim.js';
import { SimAtPort } from '../../helpers/sim-at-port.js';
import { tempDir } from '../../helpers/wait.js';

/** Simulated time: sleeping advances it at once. */
export class ManualClock implements ProxyClock {
  #now: number;

  constructor(start = Date.parse('2026-11-24T08:00:00Z')) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  sleep(ms: number): Promise<void> {
    this.#now += Math.max(0, ms);
    return Promise.resolve();
  }
}

export interface ProxyFixture {
  readonly sim: RunningSimulator;
  readonly upstream: AtClient;
  readonly journal: RiskJournal;
  readonly proxy: AtProxy;
  readonly clock: ManualClock;
  readonly dir: string;
  /** The app on pty `index` (opened once, then the same one until closeApp). */
  app(index?: number): Promise<SimAtPort>;
  closeApp(index?: number): Promise<void>;
  events(): Promise<RiskEvent[]>;
  close(): Promise<void>;
}

export async function proxyFixture(options: Partial<Omit<AtProxyOptions, 'upstream' | 'journal' | 'stateDir' | 'clock'>> & { readonly sim?: SimulatorOptions; readonly stateDir?: string } = {}): Promise<ProxyFixture> {
  const { sim: simOptions, stateDir, ...proxyOptions } = options;
  const sim = await bootedSimulator(simOptions);
  const dir = await tempDir('medic-proxy-');
  const upstream = new AtClient(await openSerial({ path: atPortOf(sim) }), { quietMs: 20 });
  await upstream.sync();
  const journal = await RiskJournal.open(stateDir ?? dir.path, { unitId: 'unit-0001', fsync: { intervalMs: 50 } });
  await journal.startBootSession('unknown');
  const clock = new ManualClock();
  const proxy = await startAtProxy({ upstream, journal, stateDir: stateDir ?? dir.path, clock, ...proxyOptions });
  const apps = new Map<number, SimAtPort>();
  return {
    sim,
    upstream,
    journal,
    proxy,
    clock,
    dir: dir.path,
    app: async (index = 0) => {
      const open = apps.get(index);
      if (open !== undefined && open.ended === undefined) return open;
      const path = proxy.ptys[index]?.path;
      if (path === undefined) throw new Error(`no pty ${index}`);
      const app = await SimAtPort.open(path);
      apps.set(index, app);
      return app;
    },
    closeApp: async (index = 0) => {
      await apps.get(index)?.close();
      apps.delete(index);
    },
    events: async () => {
      await journal.flush();
      const events: RiskEvent[] = [];
      for await (const event of journal.readFrom(1)) events.push(event);
      return events;
    },
    close: async () => {
      await Promise.all([...apps.values()].map((app) => app.close().catch(() => undefined)));
      await proxy.close();
      await upstream.close();
      await journal.close();
      await dir.remove();
    },
  };
}
