import type { Logger } from '../../core/logger.js';
import { logInfo, logWarn, silentLogger } from '../../core/logger.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { PackageInvalidError } from '../package/errors.js';
import { openPackage } from '../package/open-package.js';
import type { FirmwarePackage } from '../package/package-source.js';
import { readPackageFile } from '../package/package-read.js';
import type { PerUnitPartition } from '../package/per-unit.js';
import type { PackageProblem } from '../package/problems.js';
import { validatePackage, type ValidatedPackage, type ValidationContext } from '../package/validate.js';
import { createBackupManifest } from '../plan/backup-manifest.js';
import { FlashPlanError } from '../plan/errors.js';
import { buildFlashPlan, type FlashPlan } from '../plan/flash-plan.js';
import type { PlanNote } from '../plan/steps.js';
import type { BackupLocation, UnitIdentity } from '../plan/unit-identity.js';
import { prepareBackupDirectory, writeManifest } from './backup-files.js';
import { withSerial } from './unit.js';
import { connectEdl, connectOptionsFrom, type EdlConnection } from './connect.js';
import { FlashRefusedError } from './errors.js';
import type { ExecutionOptions } from './options.js';
import { ProgressTracker } from './progress.js';
import { runSteps, type StepRecord } from './step-runner.js';
import { monotonicMs } from '../../core/time.js';

// `medic flash` without the terminal: validate the package before the module is touched, bring
// the module up in EDL, validate again against what it reports (geometry, its partition table),
// plan, back up the per-unit partitions, then write — SBL erased first and programmed last — read
// back and reset (DESIGN.md "Principles", issue 3 §2).

export interface FlashModuleOptions extends ExecutionOptions {
  /** The package folder or .zip, or a package already opened (left open). */
  readonly package: string | FirmwarePackage;
  /** The module's revision (ATI / AT+QGMR before the EDL switch, or an earlier record). */
  readonly moduleRevision?: string | undefined;
  /** The package's revision as the user knows it (checked against what the package says). */
  readonly packageRevision?: string | undefined;
  readonly allowBaselineChange?: boolean | undefined;
  readonly allowVariantChange?: boolean | undefined;
  readonly allowUnknownModuleRevision?: boolean | undefined;
  /** IMEI or Sahara serial: names the backup folder under `backup.root`. */
  readonly unit?: UnitIdentity | undefined;
  /** `{ root }` (a folder per unit and run is made) or `{ directory }` (exactly there). */
  readonly backup: BackupLocation;
  readonly backupPartitions?: readonly PerUnitPartition[] | undefined;
  readonly assumeReferenceLayout?: boolean | undefined;
  readonly noVerify?: boolean | undefined;
  /** Reset the module at the end (default true); false leaves the programmer running. */
  readonly reset?: boolean | undefined;
  /** Skip Sahara: the caller knows a programmer already runs. Default: detected. */
  readonly programmerRunning?: boolean | undefined;
}

export type FlashOutcome = 'flashed-and-verified' | 'flashed';

export interface FlashResult {
  readonly outcome: FlashOutcome;
  readonly backupDirectory: string;
  readonly manifestFile: string;
  readonly revision: string;
  readonly steps: readonly StepRecord[];
  readonly bytes: { readonly read: number; readonly written: number };
  readonly seconds: number;
  /** Whether the module acknowledged the reset. */
  readonly reset: boolean;
  readonly programmerLoaded: boolean;
  /** Warnings of the validation and remarks of the plan. */
  readonly warnings: readonly PackageProblem[];
  readonly notes: readonly PlanNote[];
}

export async function flashModule(transport: ByteTransport, options: FlashModuleOptions): Promise<FlashResult> {
  const logger = options.logger ?? silentLogger;
  const started = monotonicMs();
  const opened = typeof options.package === 'string' ? await openForFlash(options.package) : options.package;
  try {
    const context: ValidationContext = {
      moduleRevision: options.moduleRevision,
      packageRevision: options.packageRevision,
      allowBaselineChange: options.allowBaselineChange,
      allowVariantChange: options.allowVariantChange,
      allowUnknownModuleRevision: options.allowUnknownModuleRevision,
      perUnit: options.backupPartitions,
      signal: options.signal,
    };
    // Before the module is touched: a package that cannot be right for it is refused here.
    const early = await validate(opened, context);
    const connection = await connectEdl(transport, connectOptionsFrom(options, logger, options.programmerRunning === true ? undefined : () => readPackageFile(opened, early.programmer.path, { signal: options.signal, maxBytes: early.programmer.size })));
    const validated = await validate(opened, { ...context, storage: connection.moduleStorage });
    const plan = makePlan(validated, connection, options);
    logInfo(logger, `flash: ${plan.steps.length} steps, backup to ${plan.backup.directory}`);
    return await execute(connection, plan, { options, logger, started, pkg: opened, warnings: validated.problems.filter((entry) => entry.severity !== 'info') });
  } finally {
    if (typeof options.package === 'string') await opened.close().catch(() => undefined);
  }
}

async function openForFlash(path: string): Promise<FirmwarePackage> {
  try {
    return await openPackage(path);
  } catch (error) {
    throw new FlashRefusedError('FLASH_PACKAGE_REFUSED', `the package cannot be opened: ${error instanceof Error ? error.message : String(error)}`, { hint: 'Give the firmware package folder (the one holding update/) or its .zip. Nothing was written.', cause: error });
  }
}

async function validate(pkg: FirmwarePackage, context: ValidationContext): Promise<ValidatedPackage> {
  const validation = await validatePackage(pkg, context);
  if (validation.ok && validation.validated !== undefined) return validation.validated;
  const invalid = new PackageInvalidError(validation.problems);
  const first = validation.problems.find((entry) => entry.severity === 'error');
  throw new FlashRefusedError('FLASH_PACKAGE_REFUSED', invalid.message, {
    hint: `${first === undefined ? '' : `${first.hint} `}Nothing was written to the module.`,
    cause: invalid,
    details: { problems: validation.problems.filter((entry) => entry.severity === 'error') },
  });
}

function makePlan(validated: ValidatedPackage, connection: EdlConnection, options: FlashModuleOptions): FlashPlan {
  try {
    return buildFlashPlan(validated, {
      storage: connection.moduleStorage,
      unit: withSerial(options.unit, connection.serialNumber),
      backup: options.backup,
      moduleTable: connection.moduleTable,
      assumeReferenceLayout: options.assumeReferenceLayout,
      backupPartitions: options.backupPartitions,
      noVerify: options.noVerify,
      now: options.now,
    });
  } catch (error) {
    if (!(error instanceof FlashPlanError)) throw error;
    throw new FlashRefusedError('FLASH_PLAN_REFUSED', error.message, { hint: `${error.hint ?? ''} Nothing was written to the module.`.trim(), cause: error, details: { planCode: error.code } });
  }
}

interface ExecuteInputs {
  readonly options: FlashModuleOptions;
  readonly logger: Logger;
  readonly started: number;
  readonly pkg: FirmwarePackage;
  readonly warnings: readonly PackageProblem[];
}

async function execute(connection: EdlConnection, plan: FlashPlan, inputs: ExecuteInputs): Promise<FlashResult> {
  const { options, logger } = inputs;
  const directory = plan.backup.directory;
  await prepareBackupDirectory(directory);
  const steps = options.reset === false ? plan.steps.filter((step) => step.kind !== 'power') : plan.steps;
  const tracker = new ProgressTracker(options.onProgress, plan.totals.bytes, steps.length);
  tracker.restartClock();
  const outcome = await runSteps(
    { client: connection.client, tracker, logger, signal: options.signal, package: inputs.pkg, backupDirectory: directory, rerun: `medic flash ${plan.packageLocation}`, kind: 'flash' },
    steps,
    async (backups) => {
      const manifest = createBackupManifest(plan, backups, { unit: withSerial(options.unit, connection.serialNumber), badBlocks: connection.moduleStorage.badBlocks, now: options.now });
      const file = await writeManifest(directory, manifest);
      logInfo(logger, `flash: backup complete (${backups.map((entry) => entry.partition).join(', ')}), manifest ${file}; writing starts`);
    },
  );
  if (options.reset !== false && !outcome.reset) logWarn(logger, 'flash: done, but the reset was not acknowledged; power-cycle the module');
  return {
    outcome: options.noVerify === true ? 'flashed' : 'flashed-and-verified',
    backupDirectory: directory,
    manifestFile: plan.backup.manifestFile,
    revision: plan.revision,
    steps: outcome.records,
    bytes: { read: outcome.readBytes, written: outcome.writtenBytes },
    seconds: (monotonicMs() - inputs.started) / 1000,
    reset: outcome.reset,
    programmerLoaded: connection.programmerLoaded,
    warnings: inputs.warnings,
    notes: plan.notes,
  };
}
