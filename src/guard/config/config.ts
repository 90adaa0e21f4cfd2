import type { DesiredSetting } from '../desired-config/desired-setting.js';
import type { FsyncPolicy } from '../journal/journal-options.js';
import type { AtPolicy } from '../policy/policy.js';
import type { TimingTable } from './timings.js';

// The guard's configuration as data (issue #5: "every timing and GPIO in the config", board files
// like eg25-manager's, quectel-ec25.md §5.3). parse-config.ts reads it from TOML.

export type Level = 'low' | 'high';

/** The module's signals the guard drives or reads, named as in [gpio.lines]. */
export const SIGNALS = ['vbat_enable', 'pwrkey', 'reset_n', 'status', 'usb_boot'] as const;
export type Signal = (typeof SIGNALS)[number];

/**
 * The GPIO level that means "asserted" for each signal: VBAT on, PWRKEY pressed, RESET_N
 * asserted, the module running (STATUS), USB_BOOT strapped. Boards put transistors in between
 * (PinePhone drives PWRKEY high to press it, §4.2), and STATUS polarity disagrees between sources
 * (§4.5), so every one is a board setting.
 */
export type SignalLevels = Readonly<Record<Signal, Level>>;

export interface GpiodConfig {
  readonly backend: 'gpiod';
  /** gpiochip name or path, e.g. gpiochip0. */
  readonly chip: string;
  readonly lines: Readonly<Partial<Record<Signal, number>>>;
  readonly levels: SignalLevels;
}

export interface SimGpioConfig {
  readonly backend: 'sim';
  /** The simulator's state directory (its sim.json names the control URL and the ports). */
  readonly stateDir: string;
  readonly levels: SignalLevels;
  /** Volts of the bench supply when vbat_enable is asserted. */
  readonly supplyVolts: number;
}

export interface NoGpioConfig {
  readonly backend: 'none';
  readonly levels: SignalLevels;
}

export type GpioConfig = GpiodConfig | SimGpioConfig | NoGpioConfig;

export const LADDER_STEPS = ['cfun-reset', 'pwrkey-cycle', 'vbat-cycle'] as const;
export type LadderStep = (typeof LADDER_STEPS)[number];

export interface Budget {
  /** How many times the step may run in any window. */
  readonly max: number;
  /** The sliding window, datasheet ms (scaled like every duration). */
  readonly windowMs: number;
}

export interface RecoveryConfig {
  /** How often the AT port is probed while the module runs. */
  readonly probeIntervalMs: number;
  /** Consecutive failed probes before the ladder starts. */
  readonly silentAfterProbes: number;
  /** After the ladder gave up, wait this long before trying it again. */
  readonly retryAfterMs: number;
  readonly budgets: Readonly<Record<LadderStep, Budget>>;
}

export interface VbatConfig {
  readonly sampleIntervalMs: number;
  /** Below this (mV, AT+CBC) a vbat-dip is recorded; §8.1: the module browns out below ~3.3 V (UNVERIFIED). */
  readonly dipThresholdMv: number;
  /** Record every sample as vbat-sample (one journal write each), or only dips. */
  readonly recordSamples: boolean;
}

export interface ModuleConfig {
  /** The AT port (e.g. /dev/ttyUSB2); absent with the sim backend (read from sim.json). */
  readonly atPort?: string;
  /** sysfs root for USB presence and the 9008 check; the simulator's is <state>/sys. */
  readonly sysfsRoot: string;
  /** The module's USB port path (e.g. 1-1); any EC25-family or 9008 device when absent. */
  readonly usbPath?: string;
}

export interface JournalConfig {
  readonly dir: string;
  readonly fsync: FsyncPolicy;
  readonly maxBytes?: number;
  readonly keepFiles?: number;
}

/** A pseudo-terminal the AT proxy offers one application (proxy/endpoints.ts). */
export interface ProxyApp {
  readonly name: string;
  /** A stable symlink to the pty, e.g. /run/medic/at-connman. */
  readonly link?: string;
}

/**
 * The AT proxy: applications talk to the guard instead of the module's AT port, and the policy
 * applies to what they send (issue #5; proxy/README.md).
 */
export interface ProxyConfig {
  readonly apps: readonly ProxyApp[];
  readonly socketPath?: string;
  readonly policy: AtPolicy;
}

/** Store and forward of the journal to `medic fleet serve` (uplink/, issue #5). */
export interface UplinkConfig {
  readonly transport: 'mqtt' | 'http';
  /** mqtt://host:1883 or the fleet server's http://host:8080. */
  readonly url: string;
  /** The unit's secret from `medic fleet unit add` (MQTT password / HTTP Basic). */
  readonly secret: string;
  readonly topicPrefix?: string;
  readonly batchMax?: number;
}

export interface GuardConfig {
  readonly unit: string;
  /**
   * Real ms per datasheet ms. 1 on hardware; a simulator started with `--time-scale S` needs the
   * guard at the same S, so a 500 ms PWRKEY press lasts 500 ms of *module* time. Applies to every
   * duration in the file (timings, probe and sampling intervals, budget windows).
   */
  readonly timeScale: number;
  /**
   * No deadline (a `*_timeout_ms` wait for STATUS, RDY or POWERED DOWN) is shorter than this many
   * real ms, whatever the time scale: the host's side — USB enumeration, opening the port, HTTP to
   * a simulator — does not speed up with the module. Waits and pulses are not affected.
   */
  readonly timeoutFloorMs: number;
  readonly journal: JournalConfig;
  readonly module: ModuleConfig;
  readonly gpio: GpioConfig;
  /** Datasheet ms; use `realMs()` for waits. */
  readonly timings: TimingTable;
  readonly recovery: RecoveryConfig;
  readonly vbat: VbatConfig;
  /** Absent: applications cannot reach the module through the guard (it still owns the port). */
  readonly proxy?: ProxyConfig;
  /** Absent: the journal stays on this host. */
  readonly uplink?: UplinkConfig;
  /** Settings applied after every boot with query-then-set; drift is an event. */
  readonly desiredConfig: readonly DesiredSetting[];
}

/** The real milliseconds a datasheet duration takes under the configured time scale. */
export function realMs(config: Pick<GuardConfig, 'timeScale'>, datasheetMs: number): number {
  return datasheetMs * config.timeScale;
}

/** The real milliseconds of a deadline: scaled, but never under the floor. */
export function realDeadlineMs(config: Pick<GuardConfig, 'timeScale' | 'timeoutFloorMs'>, datasheetMs: number): number {
  return Math.max(datasheetMs * config.timeScale, Math.min(datasheetMs, config.timeoutFloorMs));
}
