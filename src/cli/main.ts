import { Command, CommanderError } from 'commander';
import { ExitCode } from './exit-codes.js';
import { processIo, reportError, type CliIo } from './io.js';
import { loadCommands } from './commands/index.js';

/** Runs `medic` with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  const program = new Command('medic')
    .description('Diagnose, recover and protect Quectel EC25-family LTE modules.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  for (const register of await loadCommands(argv)) {
    register(program, io, (code) => {
      exitCode = code;
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    const json = argv.includes('--json');
    return reportError(io, error, json);
  }
  return exitCode;
}
