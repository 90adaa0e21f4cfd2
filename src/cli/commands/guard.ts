// `medic guard --config FILE`: the field agent (issue #5) in the foreground until SIGINT/SIGTERM,
// and `medic guard status`: the module's state, the recovery budgets left and the last events.
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { readGuardStatus, runGuard, type GuardStatus } from '../../guard/agent/index.js';
import type { GuardConfig } from '../../guard/config/config.js';
import { GuardConfigError } from '../../guard/config/errors.js';
import { loadGuardConfig } from '../../guard/config/parse-config.js';
import type { GpioLines } from '../../guard/gpio/lines.js';
import { noGpioLines } from '../../guard/gpio/usb-status.js';
import { PortAtChannel } from '../../guard/power/at-channel.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, stderrLogger, type CliIo } from '../io.js';
import type { RegisterCommand } from './index.js';
import { TOOL_VERSION } from '../version.js';

export const DEFAULT_GUARD_CONFIG = '/etc/medic/guard.toml';

interface GuardFlags {
  config?: string;
  json?: boolean;
  verbose?: boolean;
}

export const registerGuard: RegisterCommand = (program, io, setExit) => {
  const guard = program
    .command('guard')
    .description('Run the field agent: power the module on in order, watch it, recover it within budgets, record every risk; powers it down in order on SIGINT/SIGTERM.')
    .option('-c, --config <file>', `the guard configuration (TOML; example: src/guard/config/example.toml)`, DEFAULT_GUARD_CONFIG)
    .option('--json', 'print state changes and the final summary as JSON lines on stdout')
    .option('-v, --verbose', 'also print debug logs (every sequence step)')
    .addHelpText('after', '\nExit codes: 0 stopped and the module powered down in order, 2 bad configuration, 5 the module could not be powered down (VBAT left on).')
    .action(async (flags: GuardFlags) => {
      setExit(await runAgent(io, flags));
    });

  // --config and --json belong to `guard` and are read from there (commander parses them wherever they stand).
  guard
    .command('status')
    .description('the module\'s state as the running guard sees it, the recovery budgets left, the last events (read from the journal directory)')
    .option('-n, --last <n>', 'how many events to show', '10')
    .action(async (flags: { last: string }, command: Command) => {
      setExit(await showStatus(io, { ...command.optsWithGlobals<GuardFlags>(), last: flags.last }));
    });
};

// Each backend's lines are loaded only for the configuration that names it: the long-running agent
// keeps every module it imports, and the simulator's control client (an HTTP client) has no place
// on a product's host (bench/guard: RSS target < 60 MB).
async function openLines(config: GuardConfig): Promise<{ lines: GpioLines; resolvePort: () => Promise<string | undefined>; pollMs: number }> {
  const fixedPort = config.module.atPort;
  const fixed = (): Promise<string | undefined> => Promise.resolve(fixedPort);
  switch (config.gpio.backend) {
    case 'gpiod': {
      const { GpiodLines } = await import('../../guard/gpio/gpiod-lines.js');
      return { lines: await GpiodLines.open(config.gpio), resolvePort: fixed, pollMs: 50 };
    }
    case 'sim': {
      const { SimGpioLines, simAtPort, simPortPollMs } = await import('../guard-sim-gpio.js');
      const lines = await SimGpioLines.open(config.gpio, config.timeScale);
      return { lines, resolvePort: fixedPort === undefined ? simAtPort(lines.client) : fixed, pollMs: simPortPollMs(config.timeScale) };
    }
    case 'none':
      return { lines: noGpioLines, resolvePort: fixed, pollMs: 50 };
  }
}

/** A wrong configuration is a usage error (exit 2), with the key named by GuardConfigError. */
async function loadConfig(file: string): Promise<GuardConfig> {
  try {
    return await loadGuardConfig(file);
  } catch (error) {
    if (error instanceof GuardConfigError) throw new UsageError(error.message, { ...(error.hint === undefined ? {} : { hint: error.hint }), cause: error, details: error.details });
    throw error;
  }
}

async function runAgent(io: CliIo, flags: GuardFlags): Promise<number> {
  const json = flags.json === true;
  const config = await loadConfig(flags.config ?? DEFAULT_GUARD_CONFIG);
  const logger: Logger = stderrLogger(io, flags.verbose === true);
  const { lines, resolvePort, pollMs } = await openLines(config);
  const at = new PortAtChannel({ resolvePort, logger, pollMs });
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!json) io.stderr.write(`${signal}: powering the module down in order, then exiting…\n`);
    stop.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (!json) io.stderr.write(`medic guard: unit ${config.unit}, gpio ${lines.description}, journal ${config.journal.dir}\n`);
    const summary = await runGuard({
      config,
      lines,
      at,
      logger,
      version: TOOL_VERSION,
      onState: (state, detail) => {
        if (json) printJson(io, { event: 'state', module: state, ...(detail === undefined ? {} : { detail }) });
        else io.stderr.write(`module: ${state}${detail === undefined ? '' : ` (${detail})`}\n`);
      },
    }, stop.signal);
    if (json) printJson(io, { ok: summary.poweredDown, ...summary });
    else io.stderr.write(`stopped (${summary.stoppedBy}): ${summary.detail ?? ''}\n`);
    return summary.poweredDown ? ExitCode.Ok : ExitCode.Failed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function showStatus(io: CliIo, flags: GuardFlags & { last: string }): Promise<number> {
  const config = await loadConfig(flags.config ?? DEFAULT_GUARD_CONFIG);
  const last = Number.parseInt(flags.last, 10);
  const status = await readGuardStatus(config, Number.isSafeInteger(last) && last >= 0 ? last : 10);
  if (flags.json === true) printJson(io, { ok: true, status });
  else io.stdout.write(renderStatus(status));
  return ExitCode.Ok;
}

function renderStatus(status: GuardStatus): string {
  const lines: string[] = [];
  const state = status.state;
  if (state === undefined) lines.push(`guard: no state in ${status.dir} (has medic guard run with this configuration?)`);
  else {
    const agent = status.agentAlive ? `running (pid ${state.pid})` : state.agent === 'running' ? `not running (pid ${state.pid} is gone: it did not stop in order)` : 'stopped';
    lines.push(`unit     ${state.unit}`, `agent    ${agent}`, `module   ${state.module} since ${state.since}${state.detail === undefined ? '' : ` (${state.detail})`}`, `gpio     ${state.gpio}`);
    if (state.lastVbatMv !== undefined) lines.push(`VBAT     ${state.lastVbatMv} mV (last AT+CBC)`);
    for (const pty of state.proxy?.ptys ?? []) lines.push(`AT port  ${pty.link ?? pty.path} for ${pty.name} (through the guard's policy)`);
    if (state.proxy?.socket !== undefined) lines.push(`AT port  ${state.proxy.socket} (Unix socket)`);
    const uplink = state.uplink;
    if (uplink !== undefined) {
      const last = uplink.lastSuccessAt === undefined ? 'nothing delivered yet' : `last delivery ${uplink.lastSuccessAt}`;
      lines.push(`uplink   ${uplink.server}: ${uplink.connected ? 'connected' : 'not connected'}, ${uplink.pending} event(s) waiting, ${last}${uplink.lastError === undefined ? '' : ` (${uplink.lastError})`}`);
    }
  }
  lines.push('', 'recovery budgets (left / max per window):');
  for (const [step, budget] of Object.entries(status.budgets)) lines.push(`  ${step.padEnd(13)} ${budget.left} / ${budget.max} per ${Math.round(budget.windowMs / 1000)} s`);
  lines.push('', `last ${status.lastEvents.length} events:`);
  for (const event of status.lastEvents) lines.push(`  #${event.seq} ${event.wallTime} ${event.type} ${JSON.stringify(event.data)}`);
  return `${lines.join('\n')}\n`;
}
