import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { logInfo, silentLogger } from '../../core/logger.js';
import { openSerial } from '../../transport/serial.js';
import { FlashRefusedError } from '../execute/errors.js';
import { PackageInvalidError } from '../package/errors.js';
import { openPackage } from '../package/open-package.js';
import type { FirmwarePackage } from '../package/package-source.js';
import { validatePackage } from '../package/validate.js';
import { backupTimestamp } from '../plan/unit-identity.js';
import { BackupClaims } from './backup-claims.js';
import { discoverUnits } from './discover.js';
import { FlashBatchError, batchErrorCodes } from './errors.js';
import type { BatchOptions, BatchRunOptions } from './options.js';
import { flashUnit, type UnitContext } from './run-unit.js';
import type { BatchSummary, BatchUnit, UnitOutcome, UnitResult } from './types.js';
import { monotonicMs } from '../../core/time.js';

// `medic flash --all` without the terminal: find the units, check the package once (files, MD5s,
// programmer — the per-unit checks against each module's storage and revision stay in the
// executor), then flash up to `jobs` units at a time, each with its own log file and backup folder.
// A batch of ten or more units is the normal case (issue 3 §2).

export async function runBatch(options: BatchOptions): Promise<BatchSummary> {
  const started = monotonicMs();
  const logger = options.logger ?? silentLogger;
  const units = options.units ?? (await findUnits(options));
  const batchId = `${backupTimestamp(options.now?.() ?? new Date())}-${randomUUID().slice(0, 8)}`;
  const run: BatchRunOptions = { ...options, openTransport: options.openTransport ?? ((path) => openSerial({ path })) };
  await mkdir(options.logDir, { recursive: true });
  let pkg: FirmwarePackage | undefined;
  try {
    let checked: { readonly pkg: FirmwarePackage; readonly revision: string } | FlashRefusedError;
    try {
      const opened = await openPackage(options.package);
      pkg = opened;
      const result = await checkOnce(opened, options);
      checked = result instanceof FlashRefusedError ? result : { pkg: opened, revision: result.revision };
    } catch (error) {
      checked = asRefusal(error);
    }
    if (checked instanceof FlashRefusedError) {
      logInfo(logger, `batch: package refused for all ${units.length} unit(s): ${checked.message}`);
      options.onEvent?.({ type: 'batch', batchId, units, revision: '' });
      const results = units.map((unit) => refusedUnit(unit, checked, batchId));
      for (const result of results) options.onEvent?.({ type: 'done', result });
      return summarize({ batchId, revision: '', results, started });
    }
    const jobs = Math.max(1, Math.min(options.jobs ?? 4, units.length));
    logInfo(logger, `batch ${batchId}: ${units.length} unit(s), ${jobs} at a time, package ${checked.revision}`);
    options.onEvent?.({ type: 'batch', batchId, units, revision: checked.revision });
    const ctx: UnitContext = { pkg: checked.pkg, options: run, claims: new BackupClaims(options.backupRoot), batchId, emit: (event) => options.onEvent?.(event) };
    const results = await pool(units, jobs, (unit) => flashUnit(unit, ctx));
    return summarize({ batchId, revision: checked.revision, results, started });
  } finally {
    await pkg?.close().catch(() => undefined);
  }
}

async function findUnits(options: BatchOptions): Promise<readonly BatchUnit[]> {
  const views = options.views ?? [{ sysfsRoot: '/sys', devRoot: '/dev' }];
  const found = await discoverUnits({ views, includeNormal: options.includeNormal });
  if (found.units.length > 0) return found.units;
  const seen = found.skipped.map((entry) => `${entry.usbPath}: ${entry.reason}`).join('; ');
  throw new FlashBatchError(batchErrorCodes.noUnits, `no module in download mode (9008)${options.includeNormal === true ? ' or normal mode' : ''} was found${seen === '' ? '' : ` (seen: ${seen})`}`, {
    hint: options.includeNormal === true
      ? 'Check the cables and `medic scan`. A module with no USB device at all needs USB_BOOT strapped to VDD_EXT at power-on to show 9008.'
      : 'Check `medic scan`. Modules still running normal firmware can join with --include-normal; a module with no USB device at all needs USB_BOOT strapped to VDD_EXT at power-on.',
    details: { skipped: found.skipped },
  });
}

/** The package checks that do not depend on the module, once for the whole batch. */
async function checkOnce(pkg: FirmwarePackage, options: BatchOptions): Promise<{ readonly revision: string } | FlashRefusedError> {
  const validation = await validatePackage(pkg, {
    moduleRevision: options.moduleRevision,
    allowBaselineChange: options.allowBaselineChange,
    // Normal-mode units tell their revision later; the executor checks each one.
    allowUnknownModuleRevision: options.moduleRevision === undefined ? true : options.allowUnknownModuleRevision,
    signal: options.signal,
  });
  if (validation.ok && validation.validated !== undefined) return { revision: validation.validated.revision.raw };
  const invalid = new PackageInvalidError(validation.problems);
  const first = validation.problems.find((entry) => entry.severity === 'error');
  return new FlashRefusedError('FLASH_PACKAGE_REFUSED', invalid.message, {
    hint: `${first === undefined ? '' : `${first.hint} `}Nothing was written to any unit.`,
    cause: invalid,
  });
}

function asRefusal(error: unknown): FlashRefusedError {
  return new FlashRefusedError('FLASH_PACKAGE_REFUSED', `the package cannot be opened: ${error instanceof Error ? error.message : String(error)}`, {
    hint: 'Give the firmware package folder (the one holding update/) or its .zip. Nothing was written to any unit.',
    cause: error,
  });
}

function refusedUnit(unit: BatchUnit, error: FlashRefusedError, batchId: string): UnitResult {
  return {
    unit,
    outcome: 'refused',
    identity: {},
    revisionBefore: undefined,
    revisionAfter: undefined,
    seconds: 0,
    backupDirectory: undefined,
    logFile: '',
    error: { code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) },
    next: error.hint,
    actions: [`package refused for the whole batch ${batchId}; the unit was not touched`],
  };
}

async function pool<T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      const item = items[index];
      if (item !== undefined) results[index] = await work(item);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}

function summarize(input: { readonly batchId: string; readonly revision: string; readonly results: readonly UnitResult[]; readonly started: number }): BatchSummary {
  const counts: Record<UnitOutcome, number> = { verified: 0, flashed: 0, refused: 0, 'failed-recoverable': 0, failed: 0 };
  for (const result of input.results) counts[result.outcome] += 1;
  return { batchId: input.batchId, revision: input.revision, results: input.results, seconds: (monotonicMs() - input.started) / 1000, counts };
}
