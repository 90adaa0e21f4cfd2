import { evaluateHealth } from '../../diagnose/health/evaluate.js';
import { readHealth } from '../../diagnose/health/read.js';
import { powerDown } from '../../protocols/at/commands/power.js';
import { silentLogger } from '../../core/logger.js';
import { UsageError } from '../../core/errors.js';
import { startSimulator, type RunningSimulator } from '../../sim/simulator.js';
import type { SimState } from '../../sim/control/api.js';
import { withAtSession } from '../at-session.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, type CliIo } from '../io.js';
import { renderHealth } from '../render/health.js';
import { recoveryAct } from './demo-recovery.js';
import type { RegisterCommand } from './index.js';

interface DemoOptions {
  readonly timeScale: string;
  readonly json?: boolean;
}

/** The story told on stderr; the report itself goes to stdout. */
type Say = (text: string) => void;

export const registerDemo: RegisterCommand = (program, io, setExit) => {
  program
    .command('demo')
    .description('the whole job on the built-in simulator: a healthy EC25 powered on and read the right way, then the field report\'s two dead units (no USB at all; stuck in 9008) diagnosed at the bench, reflashed and read again')
    .option('--time-scale <factor>', 'module time per real time: 0.1 runs the ~13 s boot in ~1.3 s', '0.1')
    .option('--json', 'print the health report as JSON on stdout')
    .action(async (options: DemoOptions) => {
      const timeScale = Number(options.timeScale);
      if (!(timeScale > 0 && timeScale <= 10)) throw new UsageError(`--time-scale ${options.timeScale} is not a factor between 0 and 10`);
      const say: Say = (text) => io.stderr.write(`${text}\n`);
      setExit(await runDemo(io, say, timeScale, options.json === true));
    });
};

async function runDemo(io: CliIo, say: Say, timeScale: number, json: boolean): Promise<number> {
  say('modem-medic demo — no module on the desk, so we use the simulator (`medic sim`): a simulated');
  say('EC25-A on real pseudo-terminals, with the datasheet\'s pins and timings, scaled ×' + String(timeScale) + '.\n');
  // Fixed seeds: the demo tells the same story every time (the simulator's draws decide, e.g., how
  // the no-USB unit's current wanders).
  const sim = await startSimulator({ scenario: 'healthy', timeScale, off: true, seed: 1, logger: silentLogger });
  try {
    say(`1. The module is off: VBAT ${(await sim.control.state()).vbat.volts.toFixed(2)} V applied, STATUS released, no USB device.`);
    await powerOn(sim, say);
    const port = sim.info.ports.at;
    if (port === undefined) throw new Error('the simulator booted without an AT port');
    say(`\n3. Reading its health over the AT port ${port} (what \`medic info --port ${port}\` does):\n`);
    const readings = await withAtSession(port, silentLogger, false, (client) => readHealth(client, port));
    const report = evaluateHealth(readings);
    if (!json) io.stdout.write(renderHealth(report));
    say('\n4. Powering it off the right way: AT+QPOWD=1, wait for POWERED DOWN and STATUS, only then cut VBAT.');
    await powerOff(sim, port, say);
    await sim.stop();
    const noUsb = await recoveryAct(io, say, { timeScale, json, scenario: 'no-usb', step: 5 });
    const edl = await recoveryAct(io, say, { timeScale, json, scenario: 'edl-corrupt', step: noUsb.lastStep + 1 });
    const recoveries = [noUsb, edl].map(({ scenario, cause, questions, flash, report: health }) => ({ scenario, cause, questions, flash, report: health }));
    if (json) printJson(io, { ok: true, report, recoveries });
    say('\nNext: `medic sim --scenario weak-supply` (or no-sim, calibration-lost, wrong-baseline…), then');
    say('`medic diagnose --bench sim:<state> --sysfs-root <state>/sys`, `medic flash`, `medic guard` against it.');
    return [report, ...recoveries.map((outcome) => outcome.report)].some((r) => r.verdict.severity === 'fault') ? ExitCode.Findings : ExitCode.Ok;
  } finally {
    await sim.stop();
  }
}

async function powerOn(sim: RunningSimulator, say: Say): Promise<void> {
  say('2. Power-on as the hardware design asks: VBAT stable ≥ 30 ms, then PWRKEY low ≥ 500 ms (we hold 600 ms).');
  const started = Date.now();
  const elapsed = (): string => `${(((Date.now() - started) / sim.info.timeScale) / 1000).toFixed(1)} s module time`;
  await sim.control.pressPwrkey(600);
  await sim.waitFor((state) => state.pins.status.running, 60_000, 'STATUS');
  say(`   STATUS goes low (running) after ${elapsed()}; VDD_EXT ${(await sim.control.state()).pins.vddExt.volts.toFixed(1)} V.`);
  const withUsb: SimState = await sim.waitFor((state) => state.usb.id !== null, 60_000, 'USB');
  say(`   USB enumerates as ${withUsb.usb.id ?? '?'} after ${elapsed()}: ${Object.entries(withUsb.usb.ports).map(([role, path]) => `${role} ${path}`).join(', ')}.`);
  await sim.waitFor((state) => state.firmware.rdy, 60_000, 'RDY');
  say(`   RDY on the AT port after ${elapsed()}: the module is up; NET_STATUS blinks "searching".`);
  const registered = await sim.waitFor((state) => state.firmware.registration === 1 || state.firmware.registration === 5, 120_000, 'registration');
  const blink = registered.pins.netStatus;
  say(`   Registered on ${registered.firmware.operator ?? 'the network'} after ${elapsed()}; NET_STATUS now ${blink.highMs}/${blink.lowMs} ms (${blink.pattern}).`);
}

async function powerOff(sim: RunningSimulator, port: string, say: Say): Promise<void> {
  await withAtSession(port, silentLogger, false, (client) => powerDown(client, { mode: 1 }));
  const off = await sim.waitFor((state) => !state.pins.status.running && state.usb.id === null, 120_000, 'power-off');
  say(`   POWERED DOWN; STATUS released; USB gone. Mode: ${off.mode}.`);
  await sim.control.setVbat(0);
  const wear = await sim.control.wear();
  say(`   VBAT cut after the module stopped: ungraceful power cuts recorded by the module: ${wear.ungracefulCuts}.`);
}
