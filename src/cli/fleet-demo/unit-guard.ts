import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { GuardConfig } from '../../guard/config/config.js';
import { parseGuardConfig } from '../../guard/config/parse-config.js';
import { usbStatusLine, withUsbStatus } from '../../guard/gpio/usb-status.js';
import { RiskJournal } from '../../guard/journal/risk-journal.js';
import { PortAtChannel } from '../../guard/power/at-channel.js';
import { Board } from '../../guard/power/board.js';
import { PowerSequencer } from '../../guard/power/sequencer.js';
import { usbProbe, type UsbProbe } from '../../guard/power/usb-presence.js';
import { BudgetStore } from '../../guard/recovery/budget-store.js';
import { RecoveryLadder } from '../../guard/recovery/ladder.js';
import { startUplink, type Uplink } from '../../guard/uplink/index.js';
import { SimGpioLines, simAtPort } from '../guard-sim-gpio.js';
import type { SimulatedDays } from './demo-clock.js';

// One unit's guard, wired to its simulator the way `medic guard` does with [gpio] backend = "sim"
// (test/guard/sim-guard.ts shows the same wiring). Not runGuard(): its journal takes the host's
// clock, and the demo needs a journal whose wall clock runs through simulated days
// (demo-clock.ts). The parts are the agent's own: sequencer, recovery ladder, journal, uplink.

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

export interface UnitGuard {
  readonly config: GuardConfig;
  readonly lines: SimGpioLines;
  readonly at: PortAtChannel;
  readonly board: Board;
  readonly usb: UsbProbe;
  readonly journal: RiskJournal;
  readonly sequencer: PowerSequencer;
  readonly ladder: RecoveryLadder;
  readonly uplink: Uplink;
  close(): Promise<void>;
}

export function unitGuardToml(options: Pick<UnitGuardOptions, 'unit' | 'dir' | 'simStateDir' | 'timeScale' | 'supplyVolts' | 'uplink'>): string {
  return [
    `unit = ${JSON.stringify(options.unit)}`,
    `time_scale = ${options.timeScale}`,
    '[journal]',
    `dir = ${JSON.stringify(join(options.dir, 'journal'))}`,
    '[gpio]',
    'backend = "sim"',
    `state_dir = ${JSON.stringify(options.simStateDir)}`,
    `supply_volts = ${options.supplyVolts}`,
    '[vbat]',
    // Between the weak supply's idle level and its sag (fleet-demo/unit-day.ts); §8.1 says ~3.3 V.
    'dip_threshold_mv = 3350',
    '[proxy]',
    ...DEMO_POLICY,
    '[uplink]',
    'transport = "http"',
    `url = ${JSON.stringify(options.uplink.url)}`,
    `secret = ${JSON.stringify(options.uplink.secret)}`,
  ].join('\n');
}

export async function openUnitGuard(options: UnitGuardOptions): Promise<UnitGuard> {
  const config = parseGuardConfig(unitGuardToml(options));
  if (config.gpio.backend !== 'sim') throw new Error('unreachable: the demo guard runs on the sim backend');
  const lines = await SimGpioLines.open(config.gpio, options.timeScale);
  const at = new PortAtChannel({ resolvePort: simAtPort(lines.client), pollMs: 5 });
  const usb = usbProbe({ sysfsRoot: config.module.sysfsRoot });
  const withStatus = withUsbStatus(lines, usbStatusLine(async () => (await usb()).mode === 'normal', config.gpio.levels.status));
  const board = new Board(withStatus, config.gpio.levels, withStatus.statusFromUsb);
  const journal = await RiskJournal.open(config.journal.dir, { unitId: config.unit, fsync: { intervalMs: 200 }, clock: options.clock, ...(options.logger === undefined ? {} : { logger: options.logger }) });
  const logger = options.logger;
  const sequencer = new PowerSequencer({ board, at, journal, config, ...(logger === undefined ? {} : { logger }) });
  const budgets = await BudgetStore.open(config.journal.dir, config.recovery.budgets, { timeScale: config.timeScale });
  const probeTimeoutMs = Math.max(300, Math.min(5000, (config.recovery.probeIntervalMs * config.timeScale) / 2));
  const ladder = new RecoveryLadder({ sequencer, at, budgets, journal, usb, probeTimeoutMs, ...(logger === undefined ? {} : { logger }) });
  const uplink = startUplink({ journal, unit: config.unit, transport: { kind: 'http', url: options.uplink.url, secret: options.uplink.secret }, pollMs: 200 });
  const close = async (): Promise<void> => {
    await journal.flush();
    await uplink.flushNow().catch(() => undefined);
    await uplink.close();
    await at.close();
    await journal.close();
    await lines.close();
  };
  return { config, lines, at, board, usb, journal, sequencer, ladder, uplink, close };
}
