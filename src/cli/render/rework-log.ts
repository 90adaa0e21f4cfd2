import type { ReworkRecord } from '../../diagnose/rework-log/index.js';
import { renderColumns } from './columns.js';
import { renderCsv } from './csv.js';

// `medic log` as a person reads it (a table, newest last) and as a spreadsheet reads it (CSV).

function unitOf(record: ReworkRecord): string {
  const { imei, serial, usbPath, port } = record.unit;
  return imei ?? (serial === undefined ? undefined : `serial ${serial}`) ?? (usbPath === undefined ? undefined : `usb ${usbPath}`) ?? port ?? '-';
}

function revisionOf(record: ReworkRecord): string {
  const { before, after } = record.revision;
  if (before === undefined && after === undefined) return '-';
  if (before === after || after === undefined) return before ?? '-';
  return `${before ?? '?'} → ${after}`;
}

export function renderReworkTable(records: readonly ReworkRecord[]): string {
  const rows = records.map((record) => [
    record.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    unitOf(record),
    record.command,
    revisionOf(record),
    record.outcome,
    record.verdict?.cause ?? '-',
    record.error?.code ?? record.next ?? '',
  ]);
  return renderColumns(['time', 'unit', 'command', 'revision', 'outcome', 'verdict', 'note'], rows);
}

const CSV_HEADER = ['time', 'id', 'schema', 'tool_version', 'command', 'imei', 'serial', 'usb_path', 'port', 'revision_before', 'revision_after', 'outcome', 'verdict', 'confidence', 'observations', 'actions', 'error_code', 'error_message', 'next', 'backup_directory', 'log_file', 'seconds', 'batch'];

export function renderReworkCsv(records: readonly ReworkRecord[]): string {
  const rows = records.map((record) => [
    record.time,
    record.id,
    String(record.schema),
    record.tool.version,
    record.command,
    record.unit.imei ?? '',
    record.unit.serial ?? '',
    record.unit.usbPath ?? '',
    record.unit.port ?? '',
    record.revision.before ?? '',
    record.revision.after ?? '',
    record.outcome,
    record.verdict?.cause ?? '',
    record.verdict?.confidence === undefined ? '' : String(record.verdict.confidence),
    Object.entries(record.observations).map(([key, value]) => `${key}=${String(value)}`).join('; '),
    record.actions.join('\n'),
    record.error?.code ?? '',
    record.error?.message ?? '',
    record.next ?? '',
    record.backupDirectory ?? '',
    record.logFile ?? '',
    record.seconds === undefined ? '' : record.seconds.toFixed(1),
    record.batch ?? '',
  ]);
  return renderCsv(CSV_HEADER, rows);
}
