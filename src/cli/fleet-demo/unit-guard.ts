import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import { readGuardStatus } from '../../guard/agent/index.js';
import type { GuardConfig } from '../../guard/config/config.js';
import { parseGuardConfig } from '../../guard/config/parse-config.js';
import { PortAtChannel } from '../../guard/power/at-channel.js';
import { SimGpioLines, simAtPort, simPortPollMs } from '../guard-sim-gpio.js';
import { TOOL_VERSION } from '../version.js';
import type { SimulatedDays } from './demo-clock.js';
import { GuardDay } from './guard-day.js';

// One unit's guard: the agent itself (runGuard), wired to its simulator the way `medic guard` does
// with [gpio] backend = "sim", its journal's wall clock running through simulated days
// (demo-clock.ts). A product's host runs the guard from its boot to its shutdown, so the demo runs
// it once per simulated day: started in the morning, stopped (SIGTERM) in the evening.

/** The CFUN budget is generous on purpose: the cycles-cfun habit must reach the module and show in the data. */
const DEMO_POLICY = ['[proxy.policy.cfun]', 'per_hour = 3600', 'per_day = 86400', 'beyond_budget = "refuse"'];

export interface UnitGuardOptions {
  readonly unit: string;
  readonly dir: string;
  readonly simStateDir: string;
  readonly timeScale: number;
  readonly supplyVolts: number;
  readonly clock: SimulatedDays;
  readonly uplink: { readonly url: string; readonly secret: string };
  readonly logger?: Logger;
}

function socketPath(unitDir: string): string {
  return join(unitDir, 'at.sock');
}

export function unitGuardToml(options: Pick<UnitGuardOptions, 'unit' | 'dir' | 'simStateDir' | 'timeScale' | 'supplyVolts' | 'uplink'>): string {
  return [
    `unit = ${JSON.stringify(options.unit)}`,
    `time_scale = ${options.timeScale}`,
    '[journal]',
    `dir = ${JSON.stringify(join(options.dir, 'journal'))}`,
    // Many units on one machine: batched fdatasync, as a guard on an SD card would be set up.
    'fsync = "interval"',
    'fsync_interval_ms = 200',
    '[gpio]',
    'backend = "sim"',
    `state_dir = ${JSON.stringify(options.simStateDir)}`,
    `supply_volts = ${options.supplyVolts}`,
    '[vbat]',
    // A simulated day lasts some thousand module seconds: a few samples a day.
    'sample_interval_s = 300',
    // Between the weak supply's idle level and its sag (demo-unit.ts); §8.1 says ~3.3 V.
    'dip_threshold_mv = 3350',
    '[proxy]',
    `socket = ${JSON.stringify(socketPath(options.dir))}`,
    ...DEMO_POLICY,
    '[uplink]',
    'transport = "http"',
    `url = ${JSON.stringify(options.uplink.url)}`,
    `secret = ${JSON.stringify(options.uplink.secret)}`,
  ].join('\n');
}

/** A unit's guard: its configuration, and a run of the agent for each day. */
export class UnitGuard {
  readonly config: GuardConfig;
  readonly #options: UnitGuardOptions;

  constructor(options: UnitGuardOptions) {
    this.#options = options;
    this.config = parseGuardConfig(unitGuardToml(options));
  }

  /** Where the day's applications reach the module: the guard's AT proxy. */
  get socketPath(): string {
    return socketPath(this.#options.dir);
  }

  /** The host boots: the guard starts and powers the module on. */
  async start(): Promise<GuardDay> {
    const { config } = this;
    if (config.gpio.backend !== 'sim') throw new Error('unreachable: the demo guard runs on the sim backend');
    const lines = await SimGpioLines.open(config.gpio, this.#options.timeScale);
    const at = new PortAtChannel({ resolvePort: simAtPort(lines.client), pollMs: simPortPollMs(this.#options.timeScale) });
    return new GuardDay({ config, lines, at, clock: this.#options.clock, version: TOOL_VERSION, ...(this.#options.logger === undefined ? {} : { logger: this.#options.logger }) });
  }

  /** Events the guard recorded so far: the sequence of the newest (journal sequences start at 1 and never skip). */
  async recordedEvents(): Promise<number> {
    return (await readGuardStatus(this.config, 1)).lastEvents.at(-1)?.seq ?? 0;
  }
}
