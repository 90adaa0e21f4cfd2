import { isMedicError, UsageError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { flashModule, restoreCalibration } from '../../flash/execute/index.js';
import { getExtendedRevision, getImei } from '../../protocols/at/commands/index.js';
import { switchToEdl } from '../../protocols/diag/index.js';
import { openSerial } from '../../transport/serial.js';
import { withAtSession } from '../at-session.js';
import { openEdlTransport, programmerOf, requireOneEdlTarget } from '../edl-target.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, stderrLogger, type CliIo } from '../io.js';
import { progressOutput } from '../render/progress.js';
import { appendRework, FlashTrail } from '../rework.js';
import { runFlashAll, type FlashAllOptions } from './flash-all.js';
import type { RegisterCommand } from './index.js';

interface FlashOptions extends FlashAllOptions {
  readonly port?: string;
  readonly tcp?: string;
  readonly usb?: string | boolean;
  readonly atPort?: string;
  readonly moduleRevision?: string;
  readonly imei?: string;
  readonly backupDir?: string;
  readonly verify: boolean;
  readonly allowBaselineChange?: boolean;
  readonly allowUnknownModuleRevision?: boolean;
  readonly restoreCalibration?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly all?: boolean;
}

export const registerFlash: RegisterCommand = (program, io, setExit) => {
  program
    .command('flash')
    .description('reflash a module through EDL (Sahara + Firehose): back up its calibration, erase SBL first, program SBL last, verify, reset')
    .argument('[package]', 'the firmware package: its folder (with update/) or a .zip (with --restore-calibration: the package whose programmer to use; omit if a programmer already runs)')
    .option('-p, --port <path>', 'the module\'s 9008 port (EDL), or its DM port when --at-port is given (normal mode: switched to EDL first)')
    .option('--tcp <host:port>', 'a module behind QFirehose\'s usb2tcp bridge (or `medic sim --tcp`)')
    .option('--usb [vid:pid]', 'the module in 9008 straight over USB (node-usb; default the first 05c6:9008)')
    .option('--at-port <path>', 'normal mode: read revision and IMEI here, then switch to EDL over DIAG on --port')
    .option('--module-revision <rev>', 'the module\'s firmware revision when it cannot tell (in 9008 already), from its label or an earlier `medic info`')
    .option('--imei <imei>', 'names the backup folder when the module cannot tell')
    .option('--backup-dir <dir>', 'where calibration backups go (a folder per unit is made inside)', 'medic-backups')
    .option('--no-verify', 'skip reading back what was written')
    .option('--allow-baseline-change', 'flash another baseline (R06 → R08…): the forum\'s bricking cause, refused by default')
    .option('--allow-unknown-module-revision', 'flash without knowing the module\'s revision (baseline cannot be checked)')
    .option('--restore-calibration <dir>', 'instead of flashing: write a saved calibration backup back')
    .option('--json', 'JSON lines of progress, then the result object, on stdout')
    .option('-v, --verbose', 'log device messages and every step on stderr')
    .option('--all', 'flash every module found in download mode (9008), in parallel, each with its own log file; a summary table at the end')
    .option('--sysfs-root <dir>', 'with --all: read this sysfs tree instead of /sys; repeat for several (one per simulator)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--dev-root <dir>', 'with --all: where the tty nodes live (default /dev, or the dev/ beside --sysfs-root)')
    .option('--jobs <n>', 'with --all: units flashed at the same time (default: all found, at most 4)')
    .option('--log-dir <dir>', 'with --all: a log file per unit goes here', 'medic-logs')
    .option('--include-normal', 'with --all: also take modules running normal firmware (revision and IMEI over AT, then the DIAG switch)')
    .option('--rework-log <file>', 'append the run\'s record here (default $MEDIC_REWORK_LOG or $XDG_STATE_HOME/medic/rework-log.jsonl); `medic log` lists them')
    .addHelpText('after', '\nExit codes: 0 flashed (and verified), 3 no module to talk to, 4 refused (nothing written), 5 failed part-way (the module falls back to 9008; the backup is on disk). With --all: the worst unit\'s code.')
    .action(async (pkg: string | undefined, options: FlashOptions) => {
      const logger = stderrLogger(io, options.verbose === true);
      if (options.all === true) {
        setExit(await runFlashAll(io, logger, pkg, options));
        return;
      }
      const trail = new FlashTrail(options.restoreCalibration === undefined ? 'flash' : 'flash --restore-calibration');
      try {
        setExit(await runFlash({ io, logger, trail }, pkg, options));
      } catch (error) {
        // Usage errors never reached a module: nothing to record.
        if (!isMedicError(error) || error.code !== 'USAGE') await appendRework(io, trail.failed(error), options.reworkLog);
        throw error;
      }
    });
};

interface FlashRun {
  readonly io: CliIo;
  readonly logger: Logger;
  readonly trail: FlashTrail;
}

async function runFlash({ io, logger, trail }: FlashRun, pkg: string | undefined, options: FlashOptions): Promise<number> {
  requireOneEdlTarget(options);
  if (options.restoreCalibration === undefined && pkg === undefined) throw new UsageError('which package? `medic flash PACKAGE --port …`');
  let moduleRevision = options.moduleRevision;
  let imei = options.imei;
  trail.unit.port = options.port ?? options.tcp ?? (options.usb === undefined ? '' : 'usb');
  if (options.atPort !== undefined) {
    if (options.port === undefined) throw new UsageError('--at-port needs --port (the DM port, where 9008 appears after the switch)');
    const identity = await withAtSession(options.atPort, logger, options.verbose === true, async (client) => ({
      revision: (await client.run(getExtendedRevision())).full,
      imei: (await client.run(getImei())).imei,
    }));
    moduleRevision ??= identity.revision;
    imei ??= identity.imei;
    trail.actions.push(`switched from ${identity.revision} to download mode over DIAG`);
    io.stderr.write(`Module ${identity.imei} runs ${identity.revision}; switching it to download mode over DIAG on ${options.port}…\n`);
    const dm = await openSerial({ path: options.port });
    try {
      await switchToEdl(dm, { logger });
    } finally {
      await dm.close();
    }
  }
  trail.revisionBefore = moduleRevision;
  if (imei !== undefined) trail.unit.imei = imei;
  const transport = await openEdlTransport(options, options.atPort !== undefined);
  const progress = progressOutput(io, options.json === true);
  const common = {
    logger,
    onProgress: progress.update,
    ...(options.verbose === true ? { onDeviceLog: (line: string) => { io.stderr.write(`  device: ${line}\n`); } } : {}),
  };
  try {
    if (options.restoreCalibration !== undefined) {
      const result = await restoreCalibration(transport, {
        ...common,
        backupDirectory: options.restoreCalibration,
        programmer: pkg === undefined ? undefined : await programmerOf(pkg),
        unit: imei === undefined ? {} : { imei },
        noVerify: !options.verify,
      });
      progress.done();
      await appendRework(io, trail.restored(result), options.reworkLog);
      if (options.json === true) printJson(io, { ok: true, result });
      else io.stdout.write(`Calibration restored from ${result.backupDirectory} (${result.outcome}); what was there before is saved in ${result.safetyBackupDirectory}.\n`);
      return ExitCode.Ok;
    }
    const result = await flashModule(transport, {
      ...common,
      package: pkg ?? '',
      ...(moduleRevision === undefined ? {} : { moduleRevision }),
      ...(imei === undefined ? {} : { unit: { imei } }),
      backup: { root: options.backupDir ?? 'medic-backups' },
      noVerify: !options.verify,
      allowBaselineChange: options.allowBaselineChange === true,
      allowUnknownModuleRevision: options.allowUnknownModuleRevision === true,
    });
    progress.done();
    await appendRework(io, trail.flashed(result), options.reworkLog);
    if (options.json === true) printJson(io, { ok: true, result });
    else {
      io.stdout.write(`${result.outcome === 'flashed-and-verified' ? 'Flashed and verified' : 'Flashed (not verified)'}: ${result.revision}, ${(result.bytes.written / 1e6).toFixed(1)} MB in ${result.seconds.toFixed(1)} s.\n`);
      io.stdout.write(`Calibration backup: ${result.backupDirectory}\n`);
      for (const warning of result.warnings) io.stdout.write(`  note: ${warning.message}\n`);
      io.stdout.write(result.reset ? 'The module is resetting; `medic info` on its AT port once it is back.\n' : 'The programmer is still running (no reset).\n');
    }
    return ExitCode.Ok;
  } finally {
    // Errors go to main's reportError: a refused flash exits 4, a failed one 5, with the hint.
    progress.done();
    await transport.close();
  }
}
