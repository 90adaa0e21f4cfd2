import { logWarn, silentLogger, type Logger } from '../../core/logger.js';
import { PtyHost } from '../../core/pty/pty-host.js';
import type { AtClient } from '../../protocols/at/client.js';
import type { Urc } from '../../protocols/at/urc.js';
import { applyDesiredConfig, type SettingResult } from '../desired-config/apply.js';
import type { DesiredSetting } from '../desired-config/desired-setting.js';
import { BudgetStore } from '../policy/budget-store.js';
import type { BudgetUse } from '../policy/cfun-budget.js';
import type { HeldCfun } from '../policy/decide.js';
import { DEFAULT_AT_POLICY, type AtPolicy } from '../policy/policy.js';
import type { AppClient, AppWork } from './app-client.js';
import { DEFAULT_MAX_APP_LINE_BYTES } from './app-input.js';
import { systemClock, type ProxyClock } from './clock.js';
import { closePtyEndpoint, openPtyEndpoint, openSocketEndpoint, type AppPortSpec, type PtyEndpoint, type SocketEndpoint } from './endpoints.js';
import { PolicyRunner, type EventSink } from './policy-runner.js';
import { medicLine, Upstream } from './upstream.js';

// The guard's AT proxy (issue #5): applications talk to it instead of the module's AT port; it
// owns the one channel to the module, answers each app in turn, shares URCs with all of them,
// and applies the policy before anything reaches the module. README.md beside this file.

const PROXY_OPEN_POLL_MS = 100;

export interface AtProxyOptions {
  /** The module's AT port, synced; the proxy uses it but does not close it. */
  readonly upstream: AtClient;
  /** The risk journal (RiskJournal), or anything with its append(). */
  readonly journal: EventSink;
  /** Where the CFUN budget is stored (the journal directory): `cfun-budget.json`. */
  readonly stateDir: string;
  readonly policy?: AtPolicy;
  readonly clock?: ProxyClock;
  /** One pseudo-terminal per application. Default one, named "app"; [] for none. */
  readonly apps?: readonly AppPortSpec[];
  /** The process's pseudo-terminals to open the apps' ptys on; the proxy starts (and stops) its own when not given. */
  readonly ptyHost?: PtyHost;
  /** A Unix socket applications may connect to as well. */
  readonly socketPath?: string;
  /** Applied with query-then-set by applyDesiredConfig(), on every RDY and on setUpstream(). */
  readonly desiredConfig?: readonly DesiredSetting[];
  readonly logger?: Logger;
  /** Longest command line an app may send; longer ones get ERROR. Default 2048. */
  readonly maxLineBytes?: number;
}

export interface ProxyClientInfo {
  readonly name: string;
  readonly via: 'pty' | 'socket';
  /** For a pty: whether an application has it open. */
  readonly connected: boolean;
  readonly path?: string;
}

export interface AtProxyBudget {
  readonly use: BudgetUse;
  readonly held: HeldCfun | undefined;
}

export interface AtProxy {
  /** The ptys, one per application, in the order of `apps`. */
  readonly ptys: readonly { readonly name: string; readonly path: string; readonly link: string | undefined }[];
  /** The first pty's path, when there is one. */
  readonly ptyPath: string | undefined;
  readonly socketPath: string | undefined;
  clients(): readonly ProxyClientInfo[];
  /** The CFUN budget now (for `medic guard status`). */
  budget(): AtProxyBudget;
  /** A new channel to the module (after a reset the module's tty comes back); applies the desired configuration. */
  setUpstream(upstream: AtClient): Promise<SettingResult[]>;
  /** Query-then-set of the desired configuration, with the module to itself meanwhile. */
  applyDesiredConfig(): Promise<SettingResult[]>;
  /** Stops serving: ptys hang up, the socket closes, the budget is on disk. The upstream stays open. */
  close(): Promise<void>;
}

/** How often a held (coalesced) CFUN change is checked against the budget, real time. */
const HELD_CHECK_MS = 1000;

export async function startAtProxy(options: AtProxyOptions): Promise<AtProxy> {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const policy = options.policy ?? DEFAULT_AT_POLICY;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_APP_LINE_BYTES;
  const stopping = new AbortController();
  const budgetStore = new BudgetStore(options.stateDir, logger);
  const ptyEndpoints: PtyEndpoint[] = [];
  let socket: SocketEndpoint | undefined;
  let ownHost: PtyHost | undefined;
  let closed = false;

  const allClients = (): AppClient[] => [...ptyEndpoints.map((endpoint) => endpoint.client), ...(socket?.clients ?? [])];

  const onUrc = (urc: Urc): void => {
    runner.observe(urc.line);
    const lines = [urc.line, ...(urc.data ?? [])];
    for (const client of allClients()) client.unsolicited(lines);
    if (urc.line === 'RDY' && (options.desiredConfig?.length ?? 0) > 0) {
      applyConfig().catch((error: unknown) => {
        logWarn(logger, 'at-proxy: applying the desired configuration after RDY failed', { error: error instanceof Error ? error.message : String(error) });
      });
    }
  };
  const onEnd = (error: Error): void => {
    runner.forgetModule();
    logWarn(logger, 'at-proxy: the module\'s AT channel ended; applications get ERROR until a new one is set', { error: error.message });
  };
  const budget = await budgetStore.load();
  const upstream = new Upstream(options.upstream, { urc: onUrc, end: onEnd });
  const runner = new PolicyRunner({ upstream, policy, clock, journal: options.journal, budgetStore, budget, logger, signal: stopping.signal });

  const applyConfig = (): Promise<SettingResult[]> =>
    upstream.exclusive(() =>
      applyDesiredConfig(options.desiredConfig ?? [], {
        run: (command) => upstream.run(command),
        record: (event) => {
          options.journal.append(event).catch((error: unknown) => {
            logWarn(logger, 'at-proxy: could not record a risk event', { type: event.type, error: error instanceof Error ? error.message : String(error) });
          });
        },
        sleep: (ms) => clock.sleep(ms, stopping.signal),
      }),
    );

  const handler = async (client: AppClient, work: AppWork): Promise<void> => {
    if (closed) return;
    if (work.kind === 'overflow') {
      client.reply([medicLine(`line too long (${work.bytes} bytes; at most ${maxLineBytes})`)], 'ERROR');
      return;
    }
    // As the module: text before the "AT" prefix is skipped (V.250 §5.2.1).
    const line = work.text.slice(work.text.search(/at/i)).trim();
    if (/[^\x20-\x7e]/.test(line)) {
      client.reply([medicLine('the line has bytes that are not AT command text')], 'ERROR');
      return;
    }
    // Echo is per application (the module's own echo is the upstream AtClient's business).
    const echo = /^ATE([01]?)$/i.exec(line);
    if (echo !== null) {
      client.echo = echo[1] === '1';
      client.reply([], 'OK');
      return;
    }
    const outcome = await runner.handle(client.name, line);
    client.reply(outcome.lines, outcome.final);
  };

  try {
    const specs = options.apps ?? [{ name: 'app' }];
    if (specs.length > 0) {
      // An application's open is seen within 100 ms: the helper idles between looks (bench/guard's
      // idle CPU), and an application has no URC to miss before it has opened the port.
      const host = options.ptyHost ?? (ownHost = await PtyHost.start({ openPollMs: PROXY_OPEN_POLL_MS }));
      for (const spec of specs) ptyEndpoints.push(await openPtyEndpoint(host, spec, { handler, maxLineBytes }));
    }
    if (options.socketPath !== undefined) socket = await openSocketEndpoint(options.socketPath, { handler, maxLineBytes });
  } catch (error) {
    await Promise.all(ptyEndpoints.map((endpoint) => closePtyEndpoint(endpoint)));
    await ownHost?.stop();
    upstream.detach();
    throw error;
  }

  const timer = setInterval(() => {
    if (runner.held !== undefined) void runner.flushHeld();
  }, HELD_CHECK_MS);
  timer.unref();

  return {
    ptys: ptyEndpoints.map(({ name, path, link }) => ({ name, path, link })),
    ptyPath: ptyEndpoints[0]?.path,
    socketPath: socket?.path,
    clients: () => [
      ...ptyEndpoints.map((endpoint) => ({ name: endpoint.name, via: 'pty' as const, connected: endpoint.pty.hostHasOpen, path: endpoint.path })),
      ...[...(socket?.clients ?? [])].map((client) => ({ name: client.name, via: 'socket' as const, connected: true })),
    ],
    budget: () => ({ use: runner.budgetUse(), held: runner.held }),
    setUpstream: (next) => {
      upstream.attach(next, { urc: onUrc, end: onEnd });
      runner.forgetModule();
      return applyConfig();
    },
    applyDesiredConfig: applyConfig,
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      stopping.abort();
      await socket?.close();
      await Promise.all(ptyEndpoints.map((endpoint) => closePtyEndpoint(endpoint)));
      await ownHost?.stop();
      upstream.detach();
      await budgetStore.flush().catch(() => undefined);
    },
  };
}
