import type { BatchEvent, BatchSummary, UnitOutcome, UnitResult } from '../../flash/batch/index.js';
import { ExitCode } from '../exit-codes.js';
import { renderColumns } from './columns.js';

// The end of `medic flash --all`: a table a technician can work down, then what each unit that
// did not make it needs next. The exit code is the worst outcome's (exit-codes.ts).

const OUTCOME_EXIT: Readonly<Record<UnitOutcome, ExitCode>> = {
  verified: ExitCode.Ok,
  flashed: ExitCode.Ok,
  failed: ExitCode.Device,
  refused: ExitCode.Refused,
  'failed-recoverable': ExitCode.Failed,
};

/** 0 when every unit is done; otherwise the highest code among the units (5 > 4 > 3). */
export function batchExitCode(summary: BatchSummary): ExitCode {
  return summary.results.reduce<ExitCode>((worst, result) => Math.max(worst, OUTCOME_EXIT[result.outcome]) as ExitCode, ExitCode.Ok);
}

export function unitName(result: UnitResult): string {
  const { imei, serial } = result.identity;
  return imei !== undefined ? `imei ${imei}` : serial !== undefined ? `serial ${serial}` : '-';
}

export function renderBatchSummary(summary: BatchSummary): string {
  const rows = summary.results.map((result) => [
    result.unit.id,
    result.unit.usbPath,
    unitName(result),
    result.outcome,
    `${result.seconds.toFixed(1)} s`,
    result.backupDirectory ?? '-',
    result.logFile === '' ? '-' : result.logFile,
  ]);
  const { counts } = summary;
  const done = counts.verified + counts.flashed;
  let text = `\nBatch ${summary.batchId}: ${done} of ${summary.results.length} unit(s) flashed${summary.revision === '' ? '' : ` with ${summary.revision}`} in ${summary.seconds.toFixed(1)} s`;
  const others = (['refused', 'failed-recoverable', 'failed'] as const).filter((outcome) => counts[outcome] > 0).map((outcome) => `${counts[outcome]} ${outcome}`);
  text += others.length > 0 ? ` (${others.join(', ')}).\n\n` : '.\n\n';
  text += renderColumns(['unit', 'USB path', 'identity', 'outcome', 'time', 'backup', 'log'], rows);
  const pending = summary.results.filter((result) => result.next !== undefined);
  if (pending.length > 0) {
    text += '\nWhat next:\n';
    for (const result of pending) text += `  ${result.unit.id} (${result.outcome}): ${result.next ?? ''}\n`;
  }
  return text;
}

/** A unit's result as the --json lines and the summary object carry it. */
export function unitResultJson(result: UnitResult): Record<string, unknown> {
  return {
    unit: result.unit.id,
    usbPath: result.unit.usbPath,
    port: result.unit.port,
    ...result.identity,
    outcome: result.outcome,
    revisionBefore: result.revisionBefore ?? null,
    revisionAfter: result.revisionAfter ?? null,
    seconds: result.seconds,
    backupDirectory: result.backupDirectory ?? null,
    logFile: result.logFile === '' ? null : result.logFile,
    error: result.error ?? null,
    next: result.next ?? null,
  };
}

export function batchEventJson(event: BatchEvent): Record<string, unknown> {
  switch (event.type) {
    case 'batch':
      return { event: 'batch', batchId: event.batchId, revision: event.revision, units: event.units.map((unit) => ({ unit: unit.id, usbPath: unit.usbPath, mode: unit.mode, port: unit.port })) };
    case 'start':
      return { event: 'start', unit: event.unit.id, usbPath: event.unit.usbPath, mode: event.unit.mode, port: event.unit.port, logFile: event.logFile };
    case 'step':
      return { event: 'step', unit: event.unit.id, message: event.message };
    case 'progress':
      return { event: 'progress', unit: event.unit.id, progress: event.progress };
    case 'done':
      return { event: 'done', ...unitResultJson(event.result) };
  }
}

export function batchSummaryJson(summary: BatchSummary): Record<string, unknown> {
  return {
    ok: batchExitCode(summary) === ExitCode.Ok,
    summary: { batchId: summary.batchId, revision: summary.revision, seconds: summary.seconds, counts: summary.counts, units: summary.results.map(unitResultJson) },
  };
}
