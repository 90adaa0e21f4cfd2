import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { isMedicError } from '../../core/errors.js';
import type { AtClient } from '../../protocols/at/client.js';
import { AtCommandError } from '../../protocols/at/errors.js';
import type { FinalResult } from '../../protocols/at/result-codes.js';
import { withAtSession } from '../at-session.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, stderrLogger, type CliIo } from '../io.js';
import type { RegisterCommand } from './index.js';

interface AtOptions {
  readonly port: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly listen?: string;
  readonly timeout?: string;
}

interface Exchange {
  readonly command: string;
  readonly ok: boolean;
  readonly lines: readonly string[];
  readonly final: FinalResult;
}

export const registerAt: RegisterCommand = (program, io, setExit) => {
  program
    .command('at')
    .description('send AT commands: one-shot when given, else an interactive console (history, URCs shown as they arrive)')
    .argument('[commands...]', 'commands to send in order, e.g. AT+CSQ \'AT+QENG="servingcell"\'')
    .requiredOption('-p, --port <path>', 'the AT port (or the modem port, which also takes AT)')
    .option('--json', 'one-shot: print the exchanges as JSON on stdout')
    .option('--listen <ms>', 'one-shot: after the commands, print URCs for this long (e.g. to see POWERED DOWN)')
    .option('--timeout <ms>', 'override the per-command timeout (default: the manual\'s maximum plus a margin)')
    .option('-v, --verbose', 'log every exchange as a hex dump on stderr')
    .addHelpText('after', '\nExit codes: 0 all OK, 1 a command answered ERROR, 3 the port could not be used.\nIn the console: Ctrl-D or :quit leaves; URCs print above the prompt.')
    .action(async (commands: string[], options: AtOptions) => {
      const logger = stderrLogger(io, options.verbose === true);
      const timeoutMs = options.timeout === undefined ? undefined : Number(options.timeout);
      const code = await withAtSession(options.port, logger, options.verbose === true, (client) =>
        commands.length > 0 ? oneShot(client, io, commands, { ...options, timeoutMs }) : console(client, io, options.port, timeoutMs),
      );
      setExit(code);
    });
};

async function send(client: AtClient, command: string, timeoutMs: number | undefined): Promise<Exchange> {
  try {
    const response = await client.send(command, timeoutMs === undefined ? {} : { timeoutMs });
    return { command, ok: true, lines: response.lines, final: response.final };
  } catch (error) {
    if (error instanceof AtCommandError) return { command, ok: false, lines: error.lines, final: error.final };
    throw error;
  }
}

function describe(exchange: Exchange): string {
  const meaning = exchange.final.meaning === undefined ? '' : `  (${exchange.final.meaning})`;
  return [...exchange.lines, `${exchange.final.line}${meaning}`].join('\n');
}

async function oneShot(client: AtClient, io: CliIo, commands: readonly string[], options: AtOptions & { timeoutMs: number | undefined }): Promise<number> {
  const urcs: string[] = [];
  const unsubscribe = client.onUrc((urc) => {
    urcs.push(urc.line);
    if (options.json !== true) io.stderr.write(`URC: ${urc.line}\n`);
  });
  const exchanges: Exchange[] = [];
  for (const command of commands) {
    const exchange = await send(client, command, options.timeoutMs);
    exchanges.push(exchange);
    if (options.json !== true) io.stdout.write(`${commands.length > 1 ? `> ${command}\n` : ''}${describe(exchange)}\n`);
  }
  if (options.listen !== undefined) await new Promise((resolve) => setTimeout(resolve, Number(options.listen)));
  unsubscribe();
  if (options.json === true) printJson(io, { ok: exchanges.every((e) => e.ok), exchanges, urcs });
  return exchanges.every((e) => e.ok) ? ExitCode.Ok : ExitCode.Findings;
}

function historyFile(): string {
  const base = process.env['XDG_STATE_HOME'] ?? join(homedir(), '.local', 'state');
  return join(base, 'medic', 'at_history');
}

async function console(client: AtClient, io: CliIo, port: string, timeoutMs: number | undefined): Promise<number> {
  const interactive = io.stdin.isTTY === true && io.stdout.isTTY === true;
  const history = interactive ? (await readFile(historyFile(), 'utf8').catch(() => '')).split('\n').filter(Boolean).reverse() : [];
  const rl: Interface = createInterface({ input: io.stdin, output: io.stdout, terminal: interactive, history, historySize: 1000, removeHistoryDuplicates: true, prompt: 'AT> ' });
  if (interactive) io.stdout.write(`Connected to ${port}. Type AT commands; Ctrl-D or :quit to leave.\n`);
  const showUrc = (line: string): void => {
    if (interactive) {
      io.stdout.write(`\r\x1b[2K[URC] ${line}\n`);
      rl.prompt(true);
    } else {
      io.stdout.write(`[URC] ${line}\n`);
    }
  };
  const unsubscribe = client.onUrc((urc) => { showUrc(urc.line); });
  let failed = false;
  let exitCode: number = ExitCode.Ok;
  // The module can go away while the console waits for input (a reset, a power-off, an unplug).
  const stopWatching = client.onEnd((error) => {
    if (!isMedicError(error) || error.code !== 'TRANSPORT_DISCONNECTED') return;
    exitCode = ExitCode.Device;
    io.stdout.write(`\r\x1b[2K! ${error.message}\n${error.hint === undefined ? '' : `  what to do: ${error.hint}\n`}`);
    rl.close();
  });
  rl.prompt();
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === ':quit' || line === ':q') break;
      if (line === '') {
        rl.prompt();
        continue;
      }
      try {
        const exchange = await send(client, line, timeoutMs);
        if (!exchange.ok) failed = true;
        io.stdout.write(`${describe(exchange)}\n`);
      } catch (error) {
        if (!isMedicError(error)) throw error;
        io.stdout.write(`! ${error.message}\n${error.hint === undefined ? '' : `  what to do: ${error.hint}\n`}`);
        if (error.code.startsWith('TRANSPORT_')) {
          exitCode = ExitCode.Device;
          break;
        }
      }
      rl.prompt();
    }
  } finally {
    unsubscribe();
    stopWatching();
    rl.close();
    if (interactive) {
      const saved = (rl as unknown as { history: string[] }).history.slice(0, 1000).reverse().join('\n');
      await mkdir(dirname(historyFile()), { recursive: true }).then(() => writeFile(historyFile(), `${saved}\n`)).catch(() => undefined);
    }
  }
  if (exitCode !== ExitCode.Ok) return exitCode;
  return failed ? ExitCode.Findings : ExitCode.Ok;
}
