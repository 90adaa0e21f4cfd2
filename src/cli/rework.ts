import { basename, dirname } from 'node:path';
import { isMedicError } from '../core/errors.js';
import { appendReworkRecord, type ReworkOutcome, type ReworkRecordInput, type ReworkUnit } from '../diagnose/rework-log/index.js';
import type { UnitResult } from '../flash/batch/index.js';
import { isFlashExecutionError, type FlashResult, type RestoreResult } from '../flash/execute/index.js';
import type { CliIo } from './io.js';
import { TOOL_VERSION } from './version.js';
import { monotonicMs } from '../core/time.js';

// What `medic flash` (one unit or --all) writes to the rework log (diagnose/rework-log). A log
// that cannot be written costs a warning, never the flash's exit code.

export async function appendRework(io: CliIo, input: ReworkRecordInput, file: string | undefined): Promise<void> {
  try {
    await appendReworkRecord(input, { file, toolVersion: TOOL_VERSION });
  } catch (error) {
    io.stderr.write(`medic: warning: the run was not recorded in the rework log: ${error instanceof Error ? error.message : String(error)}\n`);
    if (isMedicError(error) && error.hint !== undefined) io.stderr.write(`  what to do: ${error.hint}\n`);
  }
}

/** A batch unit's record. */
export function batchUnitRecord(result: UnitResult, batchId: string): ReworkRecordInput {
  return {
    command: 'flash --all',
    batch: batchId,
    unit: { ...result.identity, usbPath: result.unit.usbPath, port: result.unit.port },
    revision: { ...(result.revisionBefore === undefined ? {} : { before: result.revisionBefore }), ...(result.revisionAfter === undefined ? {} : { after: result.revisionAfter }) },
    actions: result.actions,
    outcome: result.outcome,
    seconds: result.seconds,
    ...(result.error === undefined ? {} : { error: result.error }),
    ...(result.next === undefined ? {} : { next: result.next }),
    ...(result.backupDirectory === undefined ? {} : { backupDirectory: result.backupDirectory }),
    ...(result.logFile === '' ? {} : { logFile: result.logFile }),
  };
}

/** What a single `medic flash` run learns as it goes, for its record at the end. */
export class FlashTrail {
  readonly command: string;
  readonly unit: { imei?: string; port?: string } = {};
  revisionBefore: string | undefined;
  readonly actions: string[] = [];
  readonly #started = monotonicMs();

  constructor(command: string) {
    this.command = command;
  }

  flashed(result: FlashResult): ReworkRecordInput {
    this.actions.push(`backed up the per-unit partitions to ${result.backupDirectory}`, `flashed ${result.revision}`);
    if (result.outcome === 'flashed-and-verified') this.actions.push('read back and verified');
    return this.#record(result.outcome === 'flashed-and-verified' ? 'verified' : 'flashed', { after: result.revision, backupDirectory: result.backupDirectory });
  }

  restored(result: RestoreResult): ReworkRecordInput {
    this.actions.push(`restored the calibration from ${result.backupDirectory}`, `saved what was there before in ${result.safetyBackupDirectory}`);
    return this.#record('restored', { after: undefined, backupDirectory: result.backupDirectory });
  }

  failed(error: unknown): ReworkRecordInput {
    const outcome: ReworkOutcome = isFlashExecutionError(error) ? error.category : 'failed';
    this.actions.push(outcome === 'refused' ? 'refused before anything was written' : outcome === 'failed-recoverable' ? 'stopped part-way; left to fall back to 9008' : 'stopped');
    const described = isMedicError(error)
      ? { code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) }
      : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
    const record = this.#record(outcome, { after: undefined, backupDirectory: isFlashExecutionError(error) ? error.backupDirectory : undefined });
    return { ...record, error: described, ...(described.hint === undefined ? {} : { next: described.hint }) };
  }

  #record(outcome: ReworkOutcome, end: { readonly after: string | undefined; readonly backupDirectory: string | undefined }): ReworkRecordInput {
    return {
      command: this.command,
      unit: { ...unitFromBackup(end.backupDirectory), ...this.unit },
      revision: { ...(this.revisionBefore === undefined ? {} : { before: this.revisionBefore }), ...(end.after === undefined ? {} : { after: end.after }) },
      actions: this.actions,
      outcome,
      seconds: (monotonicMs() - this.#started) / 1000,
      ...(end.backupDirectory === undefined ? {} : { backupDirectory: end.backupDirectory }),
    };
  }
}

/** The executor names backup folders <root>/imei-<IMEI>|serial-<hex>/<time> (plan/unit-identity.ts). */
function unitFromBackup(directory: string | undefined): ReworkUnit {
  if (directory === undefined) return {};
  const match = /^(?<kind>imei|serial)-(?<value>[0-9a-f]+)$/i.exec(basename(dirname(directory)));
  if (match?.groups?.['value'] === undefined) return {};
  return match.groups['kind'] === 'imei' ? { imei: match.groups['value'] } : { serial: match.groups['value'].toLowerCase() };
}
