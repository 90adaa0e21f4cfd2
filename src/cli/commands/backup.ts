import { backupModule } from '../../flash/execute/index.js';
import { openEdlTransport, programmerOf, requireOneEdlTarget } from '../edl-target.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, stderrLogger } from '../io.js';
import { progressOutput } from '../render/progress.js';
import type { RegisterCommand } from './index.js';

interface BackupOptions {
  readonly port?: string;
  readonly tcp?: string;
  readonly usb?: string | boolean;
  readonly imei?: string;
  readonly backupDir: string;
  readonly reset?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

export const registerBackup: RegisterCommand = (program, io, setExit) => {
  program
    .command('backup')
    .description('save a module\'s per-unit partitions (efs2 = RF calibration, …) through EDL, read twice and compared, before anyone erases anything')
    .argument('[package]', 'a firmware package whose Firehose programmer to load (omit if a programmer already runs)')
    .option('-p, --port <path>', 'the module\'s 9008 port')
    .option('--tcp <host:port>', 'a module behind QFirehose\'s usb2tcp bridge')
    .option('--usb [vid:pid]', 'the module in 9008 straight over USB (node-usb; default the first 05c6:9008)')
    .option('--imei <imei>', 'names the backup folder (else the chip serial the boot ROM reports)')
    .option('--backup-dir <dir>', 'where backups go (a folder per unit and run is made inside)', 'medic-backups')
    .option('--reset', 'reset the module afterwards (default: leave it in download mode with the programmer running)')
    .option('--json', 'JSON lines of progress, then the result object, on stdout')
    .option('-v, --verbose', 'log device messages on stderr')
    .addHelpText('after', '\nExit codes: 0 saved and compared, 3 no module to talk to, 4 refused (e.g. the two reads differ: nothing saved).')
    .action(async (pkg: string | undefined, options: BackupOptions) => {
      requireOneEdlTarget(options);
      const logger = stderrLogger(io, options.verbose === true);
      const programmer = pkg === undefined ? undefined : await programmerOf(pkg);
      const transport = await openEdlTransport(options, false);
      const progress = progressOutput(io, options.json === true);
      try {
        const result = await backupModule(transport, {
          logger,
          programmer,
          ...(options.imei === undefined ? {} : { unit: { imei: options.imei } }),
          backup: { root: options.backupDir },
          reset: options.reset === true,
          onProgress: progress.update,
        });
        progress.done();
        if (options.json === true) printJson(io, { ok: true, result });
        else {
          io.stdout.write(`Saved ${result.partitions.length} partition(s), ${(result.bytes / 1e6).toFixed(1)} MB, each read twice and compared: ${result.backupDirectory}\n`);
          io.stdout.write(result.reset ? 'The module is resetting.\n' : 'The module stays in download mode with the programmer running.\n');
        }
        setExit(ExitCode.Ok);
      } finally {
        progress.done();
        await transport.close();
      }
    });
};
