import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { batchErrorCodes, FlashBatchError, runBatch, type BatchEvent, type SysfsView } from '../../flash/batch/index.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, reportError, type CliIo } from '../io.js';
import { appendRework, batchUnitRecord } from '../rework.js';
import { BatchStatus } from '../render/batch-status.js';
import { batchEventJson, batchExitCode, batchSummaryJson, renderBatchSummary } from '../render/batch-summary.js';

// `medic flash PACKAGE --all`: the batch runner (flash/batch) with a status line per unit on
// stderr, a summary table (or JSON) on stdout, a rework record per unit.

export interface FlashAllOptions {
  readonly sysfsRoot?: readonly string[];
  readonly devRoot?: string;
  readonly jobs?: string;
  readonly logDir?: string;
  readonly includeNormal?: boolean;
  readonly backupDir?: string;
  readonly moduleRevision?: string;
  readonly verify: boolean;
  readonly allowBaselineChange?: boolean;
  readonly allowUnknownModuleRevision?: boolean;
  readonly reworkLog?: string;
  readonly json?: boolean;
  readonly port?: string;
  readonly tcp?: string;
  readonly atPort?: string;
  readonly imei?: string;
  readonly restoreCalibration?: string;
}

export async function runFlashAll(io: CliIo, logger: Logger, pkg: string | undefined, options: FlashAllOptions): Promise<number> {
  if (pkg === undefined) throw new UsageError('which package? `medic flash PACKAGE --all`');
  const single = (['port', 'tcp', 'atPort', 'imei', 'restoreCalibration'] as const).filter((key) => options[key] !== undefined);
  if (single.length > 0) throw new UsageError(`--all finds the modules itself; drop ${single.map((key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`);
  const jobs = options.jobs === undefined ? undefined : Number(options.jobs);
  if (jobs !== undefined && (!Number.isSafeInteger(jobs) || jobs < 1)) throw new UsageError(`--jobs ${options.jobs}: give a whole number of units to flash at once (1 or more)`);
  const views = await viewsOf(options);
  const json = options.json === true;
  const status = json ? undefined : new BatchStatus(io);
  const recorded: Promise<void>[] = [];
  let batchId = '';
  const isNewStep = newStepFilter();
  const onEvent = (event: BatchEvent): void => {
    if (event.type === 'batch') batchId = event.batchId;
    if (json) {
      if (event.type !== 'progress' || isNewStep(event)) printJson(io, batchEventJson(event));
    } else status?.update(event);
    if (event.type === 'done') recorded.push(appendRework(io, batchUnitRecord(event.result, batchId), options.reworkLog));
  };
  let summary;
  try {
    summary = await runBatch({
      package: pkg,
      views,
      includeNormal: options.includeNormal,
      jobs,
      logDir: options.logDir ?? 'medic-logs',
      backupRoot: options.backupDir ?? 'medic-backups',
      moduleRevision: options.moduleRevision,
      allowBaselineChange: options.allowBaselineChange,
      allowUnknownModuleRevision: options.allowUnknownModuleRevision,
      noVerify: !options.verify,
      logger,
      onEvent,
    });
  } catch (error) {
    status?.done();
    if (error instanceof FlashBatchError && error.code === batchErrorCodes.noUnits) {
      reportError(io, error, json);
      return ExitCode.Device;
    }
    throw error;
  } finally {
    await Promise.all(recorded);
  }
  status?.done();
  if (json) printJson(io, batchSummaryJson(summary));
  else io.stdout.write(renderBatchSummary(summary));
  return batchExitCode(summary);
}

/** --json carries a unit's progress once per step, not every chunk. */
function newStepFilter(): (event: Extract<BatchEvent, { type: 'progress' }>) => boolean {
  const lastStep = new Map<string, number | undefined>();
  return (event) => {
    const step = event.progress.step?.index;
    if (lastStep.has(event.unit.id) && lastStep.get(event.unit.id) === step) return false;
    lastStep.set(event.unit.id, step);
    return true;
  };
}

/** Each --sysfs-root with its tty nodes: --dev-root, else the dev/ beside it (a simulator), else /dev. */
async function viewsOf(options: FlashAllOptions): Promise<SysfsView[]> {
  const roots = options.sysfsRoot === undefined || options.sysfsRoot.length === 0 ? ['/sys'] : options.sysfsRoot;
  const views: SysfsView[] = [];
  for (const sysfsRoot of roots) {
    if (options.devRoot !== undefined) {
      views.push({ sysfsRoot, devRoot: options.devRoot });
      continue;
    }
    const sibling = join(dirname(sysfsRoot), 'dev');
    const useSibling = sysfsRoot !== '/sys' && (await stat(sibling).then((s) => s.isDirectory(), () => false));
    views.push({ sysfsRoot, devRoot: useSibling ? sibling : '/dev' });
  }
  return views;
}
