import { logInfo, silentLogger } from '../../core/logger.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { manifestForBackups } from '../plan/backup-manifest.js';
import { FlashPlanError } from '../plan/errors.js';
import { buildRestorePlan, type RestorePlan } from '../plan/restore-plan.js';
import type { BackupStep } from '../plan/steps.js';
import type { UnitIdentity } from '../plan/unit-identity.js';
import { prepareBackupDirectory, writeManifest } from './backup-files.js';
import { withSerial } from './unit.js';
import { connectEdl, connectOptionsFrom, type EdlConnection } from './connect.js';
import { FlashRefusedError } from './errors.js';
import type { ExecutionOptions } from './options.js';
import { programmerLoader, type ProgrammerSource } from './programmer.js';
import { ProgressTracker } from './progress.js';
import { runSteps, type StepRecord } from './step-runner.js';
import { monotonicMs } from '../../core/time.js';

// `medic flash --restore-calibration DIR`: write a saved efs2 (or another per-unit partition)
// back, for a module that lost its RF calibration (+CFUN: 5, quectel-ec25.md §5.1). The restore
// plan (plan/restore-plan.ts) first saves what the partition holds now, so the restore loses
// nothing either; its steps run here like a flash's.

export interface RestoreCalibrationOptions extends ExecutionOptions {
  /** A backup folder made by flashModule or backupModule (holds backup.json). */
  readonly backupDirectory: string;
  /** The programmer to upload; undefined when a programmer already runs. */
  readonly programmer: ProgrammerSource;
  /** The module being restored: must be the unit the backup came from. */
  readonly unit: UnitIdentity;
  /** Default ['efs2']. */
  readonly partitions?: readonly string[] | undefined;
  readonly allowOtherUnit?: boolean | undefined;
  readonly noVerify?: boolean | undefined;
  /** Default true. */
  readonly reset?: boolean | undefined;
}

export interface RestoreResult {
  readonly outcome: 'restored-and-verified' | 'restored';
  readonly backupDirectory: string;
  /** Where the partition's contents before the restore were saved. */
  readonly safetyBackupDirectory: string;
  readonly steps: readonly StepRecord[];
  readonly bytes: { readonly read: number; readonly written: number };
  readonly seconds: number;
  readonly reset: boolean;
}

export async function restoreCalibration(transport: ByteTransport, options: RestoreCalibrationOptions): Promise<RestoreResult> {
  const logger = options.logger ?? silentLogger;
  const started = monotonicMs();
  const connection = await connectEdl(transport, connectOptionsFrom(options, logger, programmerLoader(options.programmer)));
  const plan = await planRestore(connection, options);
  await prepareBackupDirectory(plan.safetyBackupDirectory);
  const tracker = new ProgressTracker(options.onProgress, plan.totals.bytes, plan.steps.length);
  const outcome = await runSteps(
    { client: connection.client, tracker, logger, signal: options.signal, package: undefined, backupDirectory: plan.safetyBackupDirectory, rerun: `medic flash --restore-calibration ${options.backupDirectory}`, kind: 'restore' },
    plan.steps,
    async (backups) => {
      const steps = plan.steps.filter((step): step is BackupStep => step.kind === 'backup');
      await writeManifest(plan.safetyBackupDirectory, manifestForBackups(steps, backups, { unit: withSerial(options.unit, connection.serialNumber), badBlocks: connection.moduleStorage.badBlocks, now: options.now, geometry: plan.manifest.geometry }));
    },
  );
  logInfo(logger, `restore: ${(options.partitions ?? ['efs2']).join(', ')} written back from ${options.backupDirectory}`);
  return {
    outcome: options.noVerify === true ? 'restored' : 'restored-and-verified',
    backupDirectory: options.backupDirectory,
    safetyBackupDirectory: plan.safetyBackupDirectory,
    steps: outcome.records,
    bytes: { read: outcome.readBytes, written: outcome.writtenBytes },
    seconds: (monotonicMs() - started) / 1000,
    reset: outcome.reset,
  };
}

async function planRestore(connection: EdlConnection, options: RestoreCalibrationOptions): Promise<RestorePlan> {
  try {
    return await buildRestorePlan({
      backupDirectory: options.backupDirectory,
      storage: connection.moduleStorage,
      unit: withSerial(options.unit, connection.serialNumber),
      partitions: options.partitions,
      moduleTable: connection.moduleTable,
      allowOtherUnit: options.allowOtherUnit,
      noVerify: options.noVerify,
      reset: options.reset,
      now: options.now,
      signal: options.signal,
    });
  } catch (error) {
    if (!(error instanceof FlashPlanError)) throw error;
    throw new FlashRefusedError('FLASH_PLAN_REFUSED', error.message, { hint: `${error.hint ?? ''} Nothing was written.`.trim(), cause: error, details: { planCode: error.code } });
  }
}
