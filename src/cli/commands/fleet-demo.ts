// `medic fleet demo`: a seeded demo fleet — simulated EC25s with real guards under different
// habits, uplinking to a fleet server — so the dashboard's analysis finds the cause from data
// the guards recorded (issue #6). Not the synthetic generator of fleet/analytics: every event
// here comes from a guard watching a simulated module.
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, type CliIo } from '../io.js';
import { waitForSignal } from '../signals.js';

interface DemoFlags {
  readonly units: string;
  readonly days: string;
  readonly seed: string;
  readonly port: string;
  readonly timeScale: string;
  readonly parallel: string;
  readonly json?: boolean;
  readonly exit?: boolean;
  readonly keepRunning?: boolean;
}

export const DEMO_DEFAULTS = { units: 12, days: 60, seed: 6, port: 8080, timeScale: 0.002, parallel: 3 } as const;

function whole(text: string, option: string, range: { min: number; max: number }): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < range.min || value > range.max) throw new UsageError(`${option} ${text} is not a whole number ${range.min}…${range.max}`, { hint: `Give ${option} a whole number ${range.min}…${range.max}.` });
  return value;
}

function scale(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0.0005 || value > 0.05) throw new UsageError(`--time-scale ${text} is out of range`, { hint: 'Give --time-scale 0.0005…0.05 (real ms per module ms); 0.001–0.002 suits the demo.' });
  return value;
}

async function demo(io: CliIo, flags: DemoFlags): Promise<number> {
  if (flags.exit === true && flags.keepRunning === true) throw new UsageError('--exit and --keep-running contradict each other', { hint: 'Give one: --exit stops after the summary, --keep-running (the default) serves the dashboard until Ctrl-C.' });
  const options = {
    units: whole(flags.units, '--units', { min: 1, max: 200 }),
    days: whole(flags.days, '--days', { min: 1, max: 730 }),
    seed: whole(flags.seed, '--seed', { min: 0, max: 2 ** 31 - 1 }),
    port: whole(flags.port, '--port', { min: 0, max: 65_535 }),
    timeScale: scale(flags.timeScale),
    parallel: whole(flags.parallel, '--parallel', { min: 1, max: 16 }),
  };
  const json = flags.json === true;
  const signal = flags.exit === true ? undefined : waitForSignal();
  // Loaded here: the fleet server, the simulator and the flash code cost every other command start-up time.
  const { runFleetDemo } = await import('../fleet-demo/run-demo.js');
  io.stderr.write(`fleet demo: ${options.units} units × ${options.days} simulated days, seed ${options.seed}, time scale ${options.timeScale}, ${options.parallel} at a time\n`);
  const run = await runFleetDemo({ ...options, onProgress: (message) => io.stderr.write(`  ${message}\n`) });
  try {
    const { server, operator, units } = run.fleet;
    const report = {
      ok: run.failures.length === 0,
      dashboard: `${server.http}/`,
      http: server.http,
      api: `${server.http}/api/v1`,
      login: { operator: operator.name, password: operator.password },
      adminToken: server.adminToken,
      seed: options.seed,
      days: options.days,
      seconds: run.seconds,
      units: units.map((unit) => {
        const outcome = run.outcomes.find((entry) => entry.id === unit.id);
        return { id: unit.id, habit: unit.habit, batch: unit.batch, revision: unit.revision, imei: unit.imei, ...(outcome === undefined ? { stopped: true } : { events: outcome.events, reflashes: outcome.reflashes, ungracefulCuts: outcome.wear.ungracefulCuts, brownouts: outcome.wear.brownouts, cfunTransitions: outcome.wear.cfunTransitions }) };
      }),
      failures: run.failures,
      summary: run.summary,
    };
    if (json) printJson(io, report);
    else {
      io.stdout.write(`\nfleet demo done in ${run.seconds} s: ${run.summary.units} units, ${run.summary.failed} failed (${run.summary.needsReflash} needed a reflash, ${run.summary.silent} silent)\n`);
      io.stdout.write(`strongest finding: ${run.summary.strongest?.finding ?? 'none (no factor separates failed units from the rest)'}${run.summary.strongest === null ? '' : ` [evidence: ${run.summary.strongest.evidence}]`}\n`);
      io.stdout.write(`dashboard: ${report.dashboard}  (failure analysis: ${server.http}/analysis)\n`);
      io.stdout.write(`log in as ${operator.name} / ${operator.password}   (APIs: Authorization: Bearer ${server.adminToken})\n`);
      for (const failure of run.failures) io.stderr.write(`unit ${failure.unit} stopped early: ${failure.error}\n`);
    }
    if (signal !== undefined) {
      if (!json) io.stderr.write('serving until Ctrl-C (SIGINT/SIGTERM)…\n');
      await signal;
    }
    return run.failures.length === 0 ? ExitCode.Ok : ExitCode.Findings;
  } finally {
    await run.close();
  }
}

/** Adds `demo` under `medic fleet`. */
export function registerFleetDemo(fleet: Command, io: CliIo, setExit: (code: number) => void): void {
  fleet
    .command('demo')
    .description('a seeded demo fleet: simulated modules with real guards under different habits (cut power, cycle CFUN, weak supply, behave) for simulated months, uplinking to a fleet server with its dashboard')
    .option('--units <n>', 'simulated units', String(DEMO_DEFAULTS.units))
    .option('--days <n>', 'simulated days per unit (ending yesterday)', String(DEMO_DEFAULTS.days))
    .option('--seed <n>', 'seeds habits, damage draws and the rest: one seed, one fleet', String(DEMO_DEFAULTS.seed))
    .option('--port <n>', 'HTTP port of the fleet server on 127.0.0.1 (0: any free port)', String(DEMO_DEFAULTS.port))
    .option('--time-scale <x>', 'real ms per module ms of every simulator', String(DEMO_DEFAULTS.timeScale))
    .option('--parallel <n>', 'units simulated at the same time', String(DEMO_DEFAULTS.parallel))
    .option('--json', 'print one JSON line (URLs, login, admin token, per-unit results, summary) on stdout')
    .option('--exit', 'exit after the summary (tests) instead of serving the dashboard')
    .option('--keep-running', 'serve the dashboard until SIGINT/SIGTERM after the summary (the default)')
    .addHelpText('after', '\nProgress per unit on stderr. Exit codes: 0 done, 1 a unit stopped early, 2 bad options, 5 the server could not start.')
    .action(async (flags: DemoFlags) => {
      setExit(await demo(io, flags));
    });
}
