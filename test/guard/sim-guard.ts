// A guard wired to a simulated module through its control interface, the way `medic guard` wires
// it with [gpio] backend = "sim": the simulator's lines, its AT port from sim.json, a journal.
import { after } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimGpioLines, simAtPort, simPortPollMs } from '../../src/cli/guard-sim-gpio.js';
import type { GuardConfig } from '../../src/guard/config/config.js';
import { parseGuardConfig } from '../../src/guard/config/parse-config.js';
import { usbStatusLine, withUsbStatus } from '../../src/guard/gpio/usb-status.js';
import { RiskJournal } from '../../src/guard/journal/risk-journal.js';
import { PortAtChannel } from '../../src/guard/power/at-channel.js';
import { Board } from '../../src/guard/power/board.js';
import { PowerSequencer } from '../../src/guard/power/sequencer.js';
import { usbProbe } from '../../src/guard/power/usb-presence.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/sim/simulator.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

export interface SimGuard {
  readonly sim: RunningSimulator;
  readonly config: GuardConfig;
  readonly lines: SimGpioLines;
  readonly at: PortAtChannel;
  readonly board: Board;
  readonly journal: RiskJournal;
  readonly sequencer: PowerSequencer;
  readonly dir: string;
}

/** The TOML of a guard for the simulator in `stateDir`, with `extra` appended. */
export function simGuardToml(options: { stateDir: string; journalDir: string; timeScale: number; extra?: string }): string {
  return [
    'unit = "sim-unit-1"',
    `time_scale = ${options.timeScale}`,
    '[journal]',
    `dir = ${JSON.stringify(options.journalDir)}`,
    '[gpio]',
    'backend = "sim"',
    `state_dir = ${JSON.stringify(options.stateDir)}`,
    options.extra ?? '',
  ].join('\n');
}

/** A simulator (off unless told otherwise) and a guard's parts around it, cleaned up after the file. */
export async function simGuard(options: { timeScale?: number; sim?: SimulatorOptions; extra?: string; openJournal?: boolean } = {}): Promise<SimGuard> {
  const timeScale = options.timeScale ?? 0.002;
  const dir = await mkdtemp(join(tmpdir(), 'medic-guard-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const sim = await startSimulator({ timeScale, seed: 11, off: true, stateDir: join(dir, 'sim'), ...options.sim });
  cleanups.push(() => sim.stop());
  const config = parseGuardConfig(simGuardToml({ stateDir: sim.info.stateDir, journalDir: join(dir, 'journal'), timeScale, ...(options.extra === undefined ? {} : { extra: options.extra }) }));
  if (config.gpio.backend !== 'sim') throw new Error('sim config expected');
  const lines = await SimGpioLines.open(config.gpio, timeScale);
  const at = new PortAtChannel({ resolvePort: simAtPort(lines.client), pollMs: simPortPollMs(timeScale) });
  cleanups.push(() => at.close());
  const usb = usbProbe({ sysfsRoot: config.module.sysfsRoot });
  const withStatus = withUsbStatus(lines, usbStatusLine(async () => (await usb()).mode === 'normal', config.gpio.levels.status));
  const board = new Board(withStatus, config.gpio.levels, withStatus.statusFromUsb);
  const journal = await RiskJournal.open(config.journal.dir, { unitId: config.unit, fsync: { intervalMs: 50 } });
  cleanups.push(() => journal.close());
  const sequencer = new PowerSequencer({ board, at, journal, config });
  return { sim, config, lines, at, board, journal, sequencer, dir };
}

/** Every event in the journal, oldest first. */
export async function journalEvents(journal: RiskJournal): Promise<{ type: string; data: Record<string, unknown> }[]> {
  await journal.flush();
  const events: { type: string; data: Record<string, unknown> }[] = [];
  for await (const event of journal.readFrom(1)) events.push({ type: event.type, data: event.data });
  return events;
}
