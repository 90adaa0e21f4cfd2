import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { nextQuestion, rankCauses } from '../../diagnose/inference/index.js';
import { collectObservations, parseObservation, parseObservations, splitObservation, type Observation } from '../../diagnose/observations/index.js';
import { parseBenchSpec, simBenchReader } from '../bench-sim.js';
import { hostObservations, readHost } from '../diagnose/host-observations.js';
import { diagnosisJson, renderDiagnosis } from '../diagnose/render.js';
import { runWizard } from '../diagnose/wizard.js';
import { ExitCode } from '../exit-codes.js';
import { printJson } from '../io.js';
import { appendRework } from '../rework.js';
import { diagnoseRecord } from '../diagnose/rework-record.js';
import type { RegisterCommand } from './index.js';

interface DiagnoseOptions {
  readonly observe?: readonly string[];
  readonly bench?: string;
  readonly sysfsRoot?: string;
  readonly devRoot?: string;
  readonly port?: string;
  readonly probe: boolean;
  readonly json?: boolean;
  readonly wizard?: boolean;
  readonly reworkLog?: string;
}

export const registerDiagnose: RegisterCommand = (program, io, setExit) => {
  program
    .command('diagnose')
    .description('what is wrong with a module, how sure, why, and what to do next — from what the host sees and what you measure on the bench')
    .option('-o, --observe <key=value...>', 'a bench observation: vbat, supply_v, current_ma (42 or 55-170), status, net_status, vdd_ext, usb_boot, pwrkey_low, pwrkey_high, pwrkey_pulse_ms, usb, … (repeatable)')
    .option('--bench <source>', 'read the bench values from a source: sim:STATEDIR (a running `medic sim --state STATEDIR`)')
    .option('--sysfs-root <dir>', 'read this sysfs tree instead of /sys (a simulator\'s <state>/sys)')
    .option('--dev-root <dir>', 'where the tty nodes live (default /dev, or the dev/ beside --sysfs-root)')
    .option('-p, --port <path>', 'the AT port to read the health report from (default: the one the scan finds)')
    .option('--no-probe', 'do not talk AT to the module')
    .option('--json', 'print the diagnosis as JSON on stdout (no questions asked)')
    .option('--wizard', 'ask for the measurements that separate the causes, one at a time (default on a terminal)')
    .option('--no-wizard', 'never ask; diagnose from what is known')
    .option('--rework-log <file>', 'append the diagnosis to this rework log (default $MEDIC_REWORK_LOG, else ~/.local/state/medic/rework-log.jsonl)')
    .addHelpText('after', '\nExamples:\n  medic diagnose --observe usb=9008 --observe usb_boot=low\n  medic diagnose --observe vdd_ext=1.8 current_ma=55-170 usb_boot=low\n\nExit codes: 0 healthy, 1 a fault was diagnosed, 2 bad observations (unknown key, impossible value, contradiction).')
    .action(async (options: DiagnoseOptions) => {
      const progress = (text: string): void => {
        io.stderr.write(`${text}\n`);
      };
      // Typed observations are checked before anything slow happens.
      const typed = (options.observe ?? []).map((text) => parseObservation(splitObservation(text), 'user'));
      const bench = options.bench === undefined ? undefined : parseBenchSpec(options.bench);
      const roots = await resolveRoots(options);
      const host = await readHost({ ...roots, ...(options.port === undefined ? {} : { port: options.port }), probe: options.probe, progress });
      let benchReadings: Observation[] = [];
      if (bench !== undefined) {
        const reader = simBenchReader(bench.stateDir);
        progress(`Reading the bench (${reader.name})…`);
        benchReadings = parseObservations(await reader.read(), 'bench');
      }
      const known = [...hostObservations(host), ...benchReadings, ...typed];
      collectObservations(known);
      const interactive = options.json !== true && (options.wizard ?? io.stdin.isTTY === true);
      const answers = interactive ? await runWizard(io, known) : [];
      const { observations, notes } = collectObservations([...known, ...answers]);
      const diagnosis = rankCauses(observations);
      const next = nextQuestion(observations);
      const context = { observations, ports: host.ports, notes: [...host.notes, ...notes], ...(next === undefined ? {} : { next }) };
      if (options.json === true) printJson(io, diagnosisJson(diagnosis, context));
      else io.stdout.write(renderDiagnosis(diagnosis, context));
      await appendRework(io, diagnoseRecord({ host, diagnosis, observations, asked: answers.length, bench: bench !== undefined }), options.reworkLog);
      setExit(diagnosis.ranked[0]?.cause.fault === false ? ExitCode.Ok : ExitCode.Findings);
    });
};

async function resolveRoots(options: DiagnoseOptions): Promise<{ sysfsRoot: string; devRoot: string }> {
  const sysfsRoot = options.sysfsRoot ?? '/sys';
  if (options.sysfsRoot !== undefined && !(await isDirectory(options.sysfsRoot))) {
    throw new UsageError(`--sysfs-root ${options.sysfsRoot} is not a directory`, { hint: 'Give a sysfs tree (for the simulator, its state directory\'s sys/).' });
  }
  if (options.devRoot !== undefined) return { sysfsRoot, devRoot: options.devRoot };
  const sibling = join(dirname(sysfsRoot), 'dev');
  return { sysfsRoot, devRoot: options.sysfsRoot !== undefined && (await isDirectory(sibling)) ? sibling : '/dev' };
}

function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}
