import { logInfo, logWarn, silentLogger, type Logger } from '../../core/logger.js';
import { sleep } from '../../core/time.js';
import { realDeadlineMs, type GuardConfig } from '../config/config.js';
import type { AtClient } from '../../protocols/at/client.js';
import type { GpioLines } from '../gpio/lines.js';
import { usbStatusLine, withUsbStatus } from '../gpio/usb-status.js';
import { RiskJournal, type JournalClock } from '../journal/risk-journal.js';
import type { AtChannel } from '../power/at-channel.js';
import { Board } from '../power/board.js';
import { PowerSequencer } from '../power/sequencer.js';
import { usbProbe, type UsbProbe } from '../power/usb-presence.js';
import { scaledClock, startAtProxy, type AtProxy } from '../proxy/index.js';
import { BudgetStore } from '../recovery/budget-store.js';
import { startUplink, type Uplink } from '../uplink/index.js';
import { RecoveryLadder, type LadderOutcome } from '../recovery/ladder.js';
import { checkRadio } from './rf-check.js';
import { sampleVbat } from './vbat-sample.js';
import { readStateFile, writeStateFile, type GuardStateFile, type ModuleState } from './state-file.js';

// `medic guard`: owns the module's power and AT port. Opens the journal, powers the module on per
// the sequence, watches it (AT alive probe, AT+CBC), climbs the recovery ladder when it goes
// silent, and on stop powers it down in order before it exits (issue #5).

export interface GuardAgentOptions {
  readonly config: GuardConfig;
  /** The board's lines (gpio/); STATUS falls back to USB presence when there is no STATUS line. */
  readonly lines: GpioLines;
  readonly at: AtChannel;
  /** Default: the sysfs scan of config.module. */
  readonly usb?: UsbProbe;
  readonly logger?: Logger;
  /** modem-medic's version, for agent-lifecycle. */
  readonly version?: string;
  /** Told about every module state change (the CLI prints them). */
  readonly onState?: (state: ModuleState, detail?: string) => void;
  /**
   * The journal's clock (default: the host's). The fleet demo's units live simulated days in
   * minutes, and the fleet server's analytics read months from the events' wall times.
   */
  readonly clock?: JournalClock;
}

export interface GuardRunSummary {
  readonly stoppedBy: string;
  /** False when the final power-off failed (VBAT left on). */
  readonly poweredDown: boolean;
  readonly detail?: string;
}

export async function runGuard(options: GuardAgentOptions, stop: AbortSignal): Promise<GuardRunSummary> {
  const agent = await GuardAgent.open(options);
  return agent.run(stop);
}

class GuardAgent {
  readonly #options: GuardAgentOptions;
  readonly #config: GuardConfig;
  readonly #logger: Logger;
  readonly #journal: RiskJournal;
  readonly #board: Board;
  readonly #sequencer: PowerSequencer;
  readonly #ladder: RecoveryLadder;
  readonly #usb: UsbProbe;
  readonly #previousClean: boolean;
  #state: ModuleState = 'unknown';
  #since = new Date().toISOString();
  #lastVbatMv: number | undefined;
  #startedRecorded = false;
  /** The AT channel's generation the guard knows about (its own sequences open ports too). */
  #generation = -1;
  #recordedGeneration = -1;
  /** The boot session of a restart the guard noticed, once it is in the journal. */
  #restartRecorded: Promise<void> = Promise.resolve();
  /** The boot session whose radio (AT+CFUN?) was read. */
  #checkedSession: string | undefined;
  /** The AT proxy applications use; started with the first running module, re-pointed after every restart. */
  #proxy: AtProxy | undefined;
  #proxyUpstream: AtClient | undefined;
  #uplink: Uplink | undefined;

  private constructor(options: GuardAgentOptions, parts: { journal: RiskJournal; budgets: BudgetStore; previousClean: boolean }) {
    this.#options = options;
    this.#config = options.config;
    this.#logger = options.logger ?? silentLogger;
    this.#journal = parts.journal;
    this.#previousClean = parts.previousClean;
    this.#usb = options.usb ?? usbProbe({ sysfsRoot: options.config.module.sysfsRoot, ...(options.config.module.usbPath === undefined ? {} : { usbPath: options.config.module.usbPath }) });
    const lines = withUsbStatus(options.lines, usbStatusLine(async () => (await this.#usb()).mode === 'normal', options.config.gpio.levels.status));
    this.#board = new Board(lines, options.config.gpio.levels, lines.statusFromUsb);
    this.#sequencer = new PowerSequencer({ board: this.#board, at: options.at, journal: this.#journal, config: this.#config, logger: this.#logger });
    this.#ladder = new RecoveryLadder({ sequencer: this.#sequencer, at: options.at, budgets: parts.budgets, journal: this.#journal, usb: this.#usb, probeTimeoutMs: this.#probeTimeoutMs(), logger: this.#logger });
  }

  static async open(options: GuardAgentOptions): Promise<GuardAgent> {
    const { config } = options;
    const logger = options.logger ?? silentLogger;
    const journal = await RiskJournal.open(config.journal.dir, {
      unitId: config.unit,
      fsync: config.journal.fsync,
      logger,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(config.journal.maxBytes === undefined ? {} : { maxBytes: config.journal.maxBytes }),
      ...(config.journal.keepFiles === undefined ? {} : { keepFiles: config.journal.keepFiles }),
    });
    try {
      const previous = await readStateFile(config.journal.dir);
      const budgets = await BudgetStore.open(config.journal.dir, config.recovery.budgets, { timeScale: config.timeScale, logger });
      return new GuardAgent(options, { journal, budgets, previousClean: previous === undefined || previous.agent === 'stopped' });
    } catch (error) {
      await journal.close();
      throw error;
    }
  }

  async run(stop: AbortSignal): Promise<GuardRunSummary> {
    const unsubscribe = this.#options.at.onUrc((urc) => {
      if (urc.name !== 'ready' || this.#sequencer.busy || this.#state !== 'running') return;
      this.#unexpectedRestart('RDY while the guard had not asked for a restart');
    });
    this.#startUplink();
    try {
      await this.#setState('unknown', 'guard starting');
      await this.#recordStarted();
      await this.#bringUp(stop);
      await this.#recordStarted();
      await this.#watch(stop);
      return await this.#shutdown(String(stop.reason instanceof Error ? stop.reason.message : (stop.reason ?? 'stop')));
    } finally {
      unsubscribe();
      await this.#proxy?.close();
      // After the last event (shutdown-graceful) so it goes out too when the server is there. The
      // uplink sends only records on disk; with fsync = "interval" that one may not be there yet.
      if (this.#uplink !== undefined) await this.#journal.flush().catch(() => undefined);
      await this.#uplink?.flushNow().catch(() => undefined);
      await this.#uplink?.close();
      await this.#journal.close();
      await this.#options.at.close();
      await this.#options.lines.close();
    }
  }

  async #recordStarted(): Promise<void> {
    if (this.#startedRecorded || this.#journal.bootSession === undefined) return;
    this.#startedRecorded = true;
    const dropped = this.#journal.openReport.droppedTail.length;
    await this.#journal.append({ type: 'agent-lifecycle', data: { phase: 'started', clean: this.#previousClean, detail: `gpio ${this.#board.lines.description}`, ...(this.#options.version === undefined ? {} : { version: this.#options.version }) } });
    await this.#journal.append({ type: 'agent-lifecycle', data: { phase: 'config-loaded', detail: `unit ${this.#config.unit}, time scale ${this.#config.timeScale}` } });
    if (dropped > 0) await this.#journal.append({ type: 'agent-lifecycle', data: { phase: 'journal-repaired', detail: `${dropped} torn record(s) dropped from the end of the journal` } });
  }

  async #bringUp(stop: AbortSignal): Promise<void> {
    const usb = await this.#usb();
    if (usb.mode === 'edl') {
      await this.#afterLadder(await this.#ladder.run('found in EDL when the guard started'));
      return;
    }
    if ((await this.#board.running()) === true && (await this.#probe()) === 'ok') {
      await this.#journal.startBootSession('unknown', 'found running when the guard started');
      await this.#setState('running');
      await this.#serveApps();
      return;
    }
    await this.#setState('powering-on');
    try {
      const result = await this.#sequencer.powerOn('power-on');
      if (result.alreadyRunning) {
        // STATUS says running but AT did not answer: running and silent, a case for the ladder.
        await this.#journal.startBootSession('unknown', 'STATUS running but AT silent when the guard started');
        await this.#recover('AT silent when the guard started', stop);
        return;
      }
      await this.#setState('running');
    } catch (error) {
      logWarn(this.#logger, `guard: ${error instanceof Error ? error.message : String(error)}`);
      if (this.#journal.bootSession === undefined) await this.#journal.startBootSession('unknown', 'power-on failed when the guard started');
      await this.#recover('power-on failed', stop);
    }
  }

  async #watch(stop: AbortSignal): Promise<void> {
    const scale = this.#config.timeScale;
    let failures = 0;
    let nextVbat = Date.now();
    let retryAt = Number.POSITIVE_INFINITY;
    let portGoneSince: number | undefined;
    while (!stop.aborted) {
      try {
        await sleep(this.#config.recovery.probeIntervalMs * scale, stop);
      } catch {
        break;
      }
      if (this.#state === 'in-edl') {
        const usb = await this.#usb();
        if (usb.mode === 'normal' && (await this.#probe()) === 'ok') {
          await this.#journal.startBootSession('recovered-from-edl', `back in normal mode as ${usb.usbId}`);
          await this.#setState('running');
        }
        continue;
      }
      if (this.#state === 'gave-up') {
        if (Date.now() < retryAt) continue;
        retryAt = Number.POSITIVE_INFINITY;
      }
      const probe = await this.#probe();
      if (probe === 'no-port' && this.#state === 'running') {
        // The port went away: the module is restarting (a crash, a brown-out) or lost power. Give
        // it the time a boot takes (§4.2: RDY within rdy_timeout_ms) before counting it silent.
        portGoneSince ??= Date.now();
        if (Date.now() - portGoneSince < realDeadlineMs(this.#config, this.#config.timings.rdy_timeout_ms)) continue;
      }
      if (probe === 'ok') {
        portGoneSince = undefined;
        failures = 0;
        // The port went and came back between two probes with no sequence running: a restart
        // whose RDY went by before the port was open again.
        if (this.#state === 'running' && this.#options.at.generation !== this.#generation) this.#unexpectedRestart('the AT port went away and came back: the module restarted without being asked');
        if (this.#state !== 'running') await this.#setState('running');
        await this.#serveApps();
        await this.#afterBoot();
        if (Date.now() >= nextVbat) {
          nextVbat = Date.now() + this.#config.vbat.sampleIntervalMs * scale;
          await this.#sampleVbat();
        }
        continue;
      }
      failures++;
      if (failures < this.#config.recovery.silentAfterProbes && this.#state !== 'gave-up') continue;
      failures = 0;
      await this.#recover(`AT silent for ${this.#config.recovery.silentAfterProbes} probes`, stop);
      if (this.#state === 'gave-up') retryAt = Date.now() + this.#config.recovery.retryAfterMs * scale;
    }
  }

  /** A restart nobody asked for: a crash, a watchdog or a brown-out (events/event-types.ts). Once per port. */
  #unexpectedRestart(detail: string): void {
    if (this.#recordedGeneration === this.#options.at.generation) return;
    this.#recordedGeneration = this.#options.at.generation;
    this.#generation = this.#options.at.generation;
    this.#restartRecorded = this.#journal.startBootSession('unexpected-rdy', detail).then(
      () => undefined,
      (error: unknown) => {
        logWarn(this.#logger, `guard: cannot record the restart: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  /** Once per boot session, with the module answering: what only a read after boot shows. */
  async #afterBoot(): Promise<void> {
    // A restart seen a moment ago may not have its boot session yet: it is that boot to read.
    await this.#restartRecorded;
    const session = this.#journal.bootSession;
    if (session === undefined || session === this.#checkedSession) return;
    const client = await this.#options.at.client();
    if (client === undefined) return;
    // A failed query is tried again at the next probe.
    if ((await checkRadio(client, this.#journal, this.#logger)) !== undefined) this.#checkedSession = session;
  }

  async #recover(trigger: string, stop: AbortSignal): Promise<void> {
    await this.#setState('recovering', trigger);
    await this.#afterLadder(await this.#ladder.run(trigger, stop).catch((error: unknown): LadderOutcome => ({ result: 'gave-up', reason: error instanceof Error ? error.message : String(error) })));
  }

  async #afterLadder(outcome: LadderOutcome): Promise<void> {
    if (outcome.result === 'recovered') await this.#setState('running', `recovered by ${outcome.step}`);
    else if (outcome.result === 'in-edl') await this.#setState('in-edl', `USB ${outcome.usbId}: reflash it (medic flash)`);
    else await this.#setState('gave-up', outcome.reason);
  }

  async #probe(): Promise<'ok' | 'silent' | 'no-port'> {
    const client = await this.#options.at.client();
    if (client === undefined) return 'no-port';
    try {
      await client.send('AT', { timeoutMs: this.#probeTimeoutMs() });
      return 'ok';
    } catch {
      // A port that vanished under the probe is a module going away, not a silent one.
      return client.isOpen ? 'silent' : 'no-port';
    }
  }

  #probeTimeoutMs(): number {
    return Math.max(300, Math.min(5000, (this.#config.recovery.probeIntervalMs * this.#config.timeScale) / 2));
  }

  async #sampleVbat(): Promise<void> {
    const client = await this.#options.at.client();
    if (client === undefined || this.#journal.bootSession === undefined) return;
    const mV = await sampleVbat(client, this.#journal, this.#config.vbat, this.#logger);
    if (mV === undefined) return;
    this.#lastVbatMv = mV;
    await this.#writeState();
  }

  #startUplink(): void {
    const uplink = this.#config.uplink;
    if (uplink === undefined) return;
    this.#uplink = startUplink({
      journal: this.#journal,
      unit: this.#config.unit,
      transport: uplink.transport === 'mqtt'
        ? { kind: 'mqtt', url: uplink.url, username: this.#config.unit, password: uplink.secret, ...(uplink.topicPrefix === undefined ? {} : { topicPrefix: uplink.topicPrefix }) }
        : { kind: 'http', url: uplink.url, secret: uplink.secret },
      logger: this.#logger,
      ...(uplink.batchMax === undefined ? {} : { batchMax: uplink.batchMax }),
    });
  }

  /**
   * Applications reach the module through the proxy; it needs the AT client the guard has now
   * (a restarted module is a new port, so a new client), and applies the desired configuration
   * to every new one.
   */
  async #serveApps(): Promise<void> {
    const { proxy, desiredConfig } = this.#config;
    if (proxy === undefined && desiredConfig.length === 0) return;
    const client = await this.#options.at.client();
    if (client === undefined || client === this.#proxyUpstream) return;
    this.#proxyUpstream = client;
    try {
      if (this.#proxy === undefined) {
        this.#proxy = await startAtProxy({
          upstream: client,
          journal: this.#journal,
          stateDir: this.#config.journal.dir,
          apps: proxy?.apps ?? [],
          desiredConfig,
          clock: scaledClock(this.#config.timeScale),
          logger: this.#logger,
          ...(proxy === undefined ? {} : { policy: proxy.policy }),
          ...(proxy?.socketPath === undefined ? {} : { socketPath: proxy.socketPath }),
        });
        await this.#proxy.applyDesiredConfig();
        await this.#writeState();
      } else {
        await this.#proxy.setUpstream(client);
      }
    } catch (error) {
      logWarn(this.#logger, `guard: the AT proxy: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async #shutdown(reason: string): Promise<GuardRunSummary> {
    // Applications first: nothing of theirs may reach the module while it powers down.
    await this.#proxy?.close();
    if (this.#journal.bootSession !== undefined) await this.#journal.append({ type: 'agent-lifecycle', data: { phase: 'stopping', detail: reason.slice(0, 300) } });
    await this.#setState('powering-off', reason);
    let poweredDown = true;
    let detail: string;
    try {
      const result = await this.#sequencer.powerOff('guard');
      detail = `powered off by ${result.method}${result.vbatCut ? ', VBAT off' : ''}`;
    } catch (error) {
      poweredDown = false;
      detail = error instanceof Error ? error.message : String(error);
      logWarn(this.#logger, `guard: ${detail}`);
    }
    await this.#setState('off', detail, 'stopped');
    logInfo(this.#logger, `guard: stopped (${reason})`);
    return { stoppedBy: reason, poweredDown, detail };
  }

  async #setState(state: ModuleState, detail?: string, agent: 'running' | 'stopped' = 'running'): Promise<void> {
    if (state !== this.#state) this.#since = new Date().toISOString();
    if (state === 'running') this.#generation = this.#options.at.generation;
    this.#state = state;
    await this.#writeState(detail, agent);
    this.#options.onState?.(state, detail);
  }

  async #writeState(detail?: string, agent: 'running' | 'stopped' = 'running'): Promise<void> {
    await writeStateFile(this.#config.journal.dir, {
      unit: this.#config.unit,
      pid: process.pid,
      agent,
      module: this.#state,
      since: this.#since,
      updatedAt: new Date().toISOString(),
      gpio: this.#board.lines.description,
      ...(this.#lastVbatMv === undefined ? {} : { lastVbatMv: this.#lastVbatMv }),
      ...(detail === undefined ? {} : { detail: detail.slice(0, 300) }),
      ...(this.#uplink === undefined ? {} : { uplink: uplinkSummary(this.#uplink) }),
      ...(this.#proxy === undefined ? {} : { proxy: { ptys: this.#proxy.ptys.map(({ name, path, link }) => ({ name, path, ...(link === undefined ? {} : { link }) })), ...(this.#proxy.socketPath === undefined ? {} : { socket: this.#proxy.socketPath }) } }),
    });
  }
}

function uplinkSummary(uplink: Uplink): NonNullable<GuardStateFile['uplink']> {
  const status = uplink.status();
  return {
    server: status.server,
    connected: status.connected,
    pending: status.pending,
    ...(status.lastSuccessAt === undefined ? {} : { lastSuccessAt: status.lastSuccessAt }),
    ...(status.lastError === undefined ? {} : { lastError: `${status.lastError.code}: ${status.lastError.message}` }),
  };
}
