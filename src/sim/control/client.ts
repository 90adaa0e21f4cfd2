// A typed client for a running simulator's control interface (server.ts, README.md). Tests, the
// demo and later the guard drive a simulator by URL with it, in-process or not.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MedicError } from '../../core/errors.js';
import { httpRequest, type HttpAnswer } from '../../core/http-request.js';
import type { ConditionFault, EdlFaultSettings, ErrorBody, FaultName, Level, SimEvent, SimInfo, SimState, WearCounters } from './api.js';
import { ROUTES } from './api.js';

export interface FaultList {
  readonly active: readonly ConditionFault[];
  readonly available: Readonly<Record<FaultName, { readonly kind: 'condition' | 'event'; readonly description: string }>>;
}

export interface SimControlClientOptions {
  /** Real ms per request; pulses wait for the pulse to end. */
  readonly timeoutMs?: number;
}

export class SimControlClient {
  readonly url: string;
  readonly #timeoutMs: number;

  constructor(url: string, options: SimControlClientOptions = {}) {
    this.url = url.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** The client for the simulator whose state directory is `stateDir` (its sim.json). */
  static async fromStateDir(stateDir: string, options: SimControlClientOptions = {}): Promise<SimControlClient> {
    const path = join(stateDir, 'sim.json');
    let info: Partial<SimInfo>;
    try {
      info = JSON.parse(await readFile(path, 'utf8')) as Partial<SimInfo>;
    } catch (error) {
      throw new MedicError('SIM_NOT_RUNNING', `no simulator is running with state ${stateDir} (cannot read ${path})`, {
        hint: 'Start one with `medic sim --state <dir>`, and pass the same directory here.',
        cause: error,
      });
    }
    if (typeof info.control !== 'string') throw new MedicError('SIM_NOT_RUNNING', `${path} names no control URL`, { hint: 'Restart `medic sim` with that --state.' });
    return new SimControlClient(info.control, options);
  }

  info(): Promise<SimInfo> {
    return this.#call('GET', ROUTES.info);
  }

  state(): Promise<SimState> {
    return this.#call('GET', ROUTES.state);
  }

  /** Bench supply volts (0 = cut VBAT); optionally the source resistance in ohms. */
  setVbat(volts: number, sourceOhms?: number): Promise<SimState> {
    return this.#call('PUT', ROUTES.vbat, sourceOhms === undefined ? { volts } : { volts, sourceOhms });
  }

  setPwrkey(level: Level): Promise<SimState> {
    return this.#call('PUT', ROUTES.pin('pwrkey'), { level });
  }

  setResetN(level: Level): Promise<SimState> {
    return this.#call('PUT', ROUTES.pin('reset-n'), { level });
  }

  setUsbBoot(level: Level): Promise<SimState> {
    return this.#call('PUT', ROUTES.pin('usb-boot'), { level });
  }

  /** Holds PWRKEY low for `ms` module ms, then releases it; resolves after the release. */
  pressPwrkey(ms: number): Promise<SimState> {
    return this.#call('POST', ROUTES.pulse('pwrkey'), { ms });
  }

  /** Holds RESET_N low for `ms` module ms, then releases it. */
  pulseReset(ms: number): Promise<SimState> {
    return this.#call('POST', ROUTES.pulse('reset-n'), { ms });
  }

  faults(): Promise<FaultList> {
    return this.#call('GET', ROUTES.faults);
  }

  addFault(name: FaultName): Promise<SimState> {
    return this.#call('POST', ROUTES.faults, { name });
  }

  /** Clears one condition fault, or all of them. */
  clearFaults(name?: ConditionFault): Promise<SimState> {
    return this.#call('DELETE', name === undefined ? ROUTES.faults : ROUTES.fault(name));
  }

  /** The download-path faults in force (README: EDL faults). */
  edlFaults(): Promise<EdlFaultSettings> {
    return this.#call('GET', ROUTES.edlFaults);
  }

  /**
   * Adds EDL faults to those in force: `{cutPowerAfterBytes: N | "random", randomMaxBytes?,
   * dropLinkAfterBytes, nak: ["program"], noisyLogs, pageProgramUs, blockEraseUs, pageReadUs}`.
   */
  addEdlFaults(faults: Record<string, unknown>): Promise<EdlFaultSettings> {
    return this.#call('POST', ROUTES.edlFaults, faults);
  }

  clearEdlFaults(): Promise<EdlFaultSettings> {
    return this.#call('DELETE', ROUTES.edlFaults);
  }

  wear(): Promise<WearCounters> {
    return this.#call('GET', ROUTES.wear);
  }

  /** Events after sequence number `since`. */
  async events(since = 0): Promise<SimEvent[]> {
    const body = await this.#call<{ events: SimEvent[] }>('GET', `${ROUTES.events}?since=${since}`);
    return body.events;
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: HttpAnswer;
    try {
      response = await httpRequest(`${this.url}${path}`, {
        method,
        signal: AbortSignal.timeout(this.#timeoutMs),
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new MedicError('SIM_CONTROL_UNREACHABLE', `cannot reach the simulator at ${this.url}: ${error instanceof Error ? error.message : String(error)}`, {
        hint: 'Is `medic sim` still running? Its control URL is in <stateDir>/sim.json.',
        cause: error,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.text);
    } catch (error) {
      throw new MedicError('SIM_CONTROL_PROTOCOL', `${method} ${path}: the simulator answered ${response.status} with non-JSON`, { cause: error });
    }
    if (!response.ok) {
      const failure = (parsed as Partial<ErrorBody>).error;
      throw new MedicError(failure?.code ?? 'SIM_CONTROL_FAILED', failure?.message ?? `${method} ${path}: HTTP ${response.status}`, failure?.hint === undefined ? {} : { hint: failure.hint });
    }
    return parsed as T;
  }
}
