import { join } from 'node:path';
import { isMedicError } from '../../core/errors.js';
import { logWarn } from '../../core/logger.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { isFlashExecutionError } from '../execute/errors.js';
import { flashModule } from '../execute/flash-module.js';
import type { FirmwarePackage } from '../package/package-source.js';
import type { BackupClaims } from './backup-claims.js';
import type { BatchRunOptions } from './options.js';
import { switchUnitToEdl } from './normal-switch.js';
import { UnitLog } from './unit-log.js';
import { readUnitSerial } from './unit-serial.js';
import type { BatchEvent, BatchUnit, UnitIdentityFound, UnitOutcome, UnitResult } from './types.js';
import { monotonicMs } from '../../core/time.js';

// One unit of a batch, start to end, never throwing: whatever happens to it becomes its
// UnitResult, so one unit's failure never stops the others (issue 3 §2).

export interface UnitContext {
  readonly pkg: FirmwarePackage;
  readonly options: BatchRunOptions;
  readonly claims: BackupClaims;
  readonly batchId: string;
  readonly emit: (event: BatchEvent) => void;
}

interface UnitState {
  unit: BatchUnit;
  identity: UnitIdentityFound;
  revisionBefore: string | undefined;
  backupDirectory: string | undefined;
  readonly actions: string[];
}

export async function flashUnit(initial: BatchUnit, ctx: UnitContext): Promise<UnitResult> {
  const { options } = ctx;
  const log = new UnitLog(join(options.logDir, `${ctx.batchId}-${initial.id.replace(/[^\w.-]/g, '_')}.log`));
  const started = monotonicMs();
  const state: UnitState = { unit: initial, identity: {}, revisionBefore: options.moduleRevision, backupDirectory: undefined, actions: [] };
  ctx.emit({ type: 'start', unit: initial, logFile: log.file });
  log.line(`unit ${initial.id}: USB ${initial.usbPath}, ${initial.mode === 'edl' ? 'download mode (9008)' : 'normal mode'}, port ${initial.port}; batch ${ctx.batchId}`);
  const step = (message: string): void => {
    log.line(message);
    ctx.emit({ type: 'step', unit: state.unit, message });
  };
  let transport: ByteTransport | undefined;
  let result: Omit<UnitResult, 'seconds'>;
  try {
    if (state.unit.mode === 'normal') {
      step('reading revision and IMEI over AT, then switching to download mode over DIAG');
      const switched = await switchUnitToEdl(state.unit, { logger: log, signal: options.signal, openTransport: options.openTransport });
      state.unit = switched.unit;
      state.identity = { imei: switched.imei };
      state.revisionBefore = switched.revision;
      state.actions.push(`switched from ${switched.revision} to download mode over DIAG`);
      step(`IMEI ${switched.imei}, ${switched.revision}; now in 9008 on ${switched.unit.port}`);
    }
    transport = await options.openTransport(state.unit.port);
    let helloTaken = false;
    if (state.identity.imei === undefined) {
      const serial = await readUnitSerial(transport, log, options.signal);
      if (serial !== undefined) state.identity = { serial };
      helloTaken = serial !== undefined;
    }
    const claim = ctx.claims.directoryFor(state.identity, state.unit.usbPath, options.now?.() ?? new Date());
    if (claim.duplicate) logWarn(log, `batch: another unit of this batch reports the same ${state.identity.imei === undefined ? 'chip serial' : 'IMEI'}; this one's backup goes to ${claim.directory}`);
    state.backupDirectory = claim.directory;
    step(`flashing; calibration backup to ${claim.directory}`);
    const flashed = await flashModule(transport, {
      package: ctx.pkg,
      moduleRevision: state.revisionBefore,
      unit: state.identity,
      backup: { directory: claim.directory },
      noVerify: options.noVerify,
      allowBaselineChange: options.allowBaselineChange,
      allowUnknownModuleRevision: options.allowUnknownModuleRevision,
      readSerial: false,
      logger: log,
      signal: options.signal,
      // The serial read took the target's fresh HELLO: the executor's Sahara host need not wait the
      // full 5 s for one before it answers unsolicited (unit-serial.ts).
      saharaTimeouts: helloTaken ? { helloMs: 1000, ...options.saharaTimeouts } : options.saharaTimeouts,
      firehoseTimeouts: options.firehoseTimeouts,
      onDeviceLog: (line) => {
        log.line(`device: ${line}`);
      },
      onProgress: (progress) => {
        ctx.emit({ type: 'progress', unit: state.unit, progress });
      },
    });
    state.actions.push(`backed up the per-unit partitions to ${flashed.backupDirectory}`, `flashed ${flashed.revision} (${flashed.bytes.written} bytes)`);
    if (flashed.outcome === 'flashed-and-verified') state.actions.push('read back and verified');
    state.actions.push(flashed.reset ? 'reset' : 'reset not acknowledged');
    result = done(state, {
      outcome: flashed.outcome === 'flashed-and-verified' ? 'verified' : 'flashed',
      revisionAfter: flashed.revision,
      backupDirectory: flashed.backupDirectory,
      error: undefined,
      next: flashed.reset ? undefined : 'Power-cycle the module: the reset was not acknowledged.',
    }, log.file);
  } catch (error) {
    result = failed(state, error, log.file);
  } finally {
    await transport?.close().catch(() => undefined);
  }
  const seconds = (monotonicMs() - started) / 1000;
  log.line(`outcome: ${result.outcome}${result.error === undefined ? '' : ` — ${result.error.code}: ${result.error.message}`} (${seconds.toFixed(1)} s)`);
  if (result.next !== undefined) log.line(`next: ${result.next}`);
  await log.close();
  const final: UnitResult = { ...result, seconds };
  ctx.emit({ type: 'done', result: final });
  return final;
}

function done(state: UnitState, end: Pick<UnitResult, 'outcome' | 'revisionAfter' | 'backupDirectory' | 'error' | 'next'>, logFile: string): Omit<UnitResult, 'seconds'> {
  return { unit: state.unit, identity: state.identity, revisionBefore: state.revisionBefore, actions: state.actions, logFile, ...end };
}

function failed(state: UnitState, error: unknown, logFile: string): Omit<UnitResult, 'seconds'> {
  const described = isMedicError(error)
    ? { code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) }
    : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  let outcome: UnitOutcome = 'failed';
  let backupDirectory = state.backupDirectory;
  if (isFlashExecutionError(error)) {
    outcome = error.category;
    // A refusal before the backup started leaves no backup behind.
    backupDirectory = error.backupDirectory ?? (error.category === 'refused' ? undefined : backupDirectory);
  }
  if (outcome === 'refused') state.actions.push('refused before anything was written');
  if (outcome === 'failed-recoverable') state.actions.push('stopped part-way; left to fall back to 9008');
  const next = described.hint ?? (outcome === 'failed' ? 'Check the cable and the port (`medic scan`), power-cycle the module into 9008 and run the batch again.' : undefined);
  return { ...done(state, { outcome, revisionAfter: undefined, backupDirectory, error: described, next }, logFile) };
}
