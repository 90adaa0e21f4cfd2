import { evaluateHealth } from '../../diagnose/health/evaluate.js';
import { readHealth } from '../../diagnose/health/read.js';
import { withAtSession } from '../at-session.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, stderrLogger } from '../io.js';
import { renderHealth } from '../render/health.js';
import type { RegisterCommand } from './index.js';

interface InfoOptions {
  readonly port: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

export const registerInfo: RegisterCommand = (program, io, setExit) => {
  program
    .command('info')
    .description('health report of a module over its AT port: identity, SIM, radio, signal, supply, risky settings, verdict')
    .requiredOption('-p, --port <path>', 'the AT port (on an EC25 the third ttyUSB, interface 2; `medic scan` lists it)')
    .option('--json', 'print the report as one JSON object on stdout')
    .option('-v, --verbose', 'log every AT exchange as a hex dump on stderr')
    .addHelpText('after', '\nExit codes: 0 healthy or warnings only, 1 a fault was found, 3 the port could not be read.')
    .action(async (options: InfoOptions) => {
      const logger = stderrLogger(io, options.verbose === true);
      io.stderr.write(`Reading the module on ${options.port}…\n`);
      const readings = await withAtSession(options.port, logger, options.verbose === true, (client) =>
        readHealth(client, options.port, options.verbose === true ? { onQuery: (command) => { io.stderr.write(`  ${command}\n`); } } : {}),
      );
      const report = evaluateHealth(readings);
      if (options.json === true) printJson(io, { ok: true, report });
      else io.stdout.write(renderHealth(report));
      setExit(report.verdict.severity === 'fault' ? ExitCode.Findings : ExitCode.Ok);
    });
};
