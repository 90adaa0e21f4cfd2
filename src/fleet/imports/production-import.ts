import { UNIT_ID_PATTERN } from '../../guard/events/index.js';
import type { SqlExecutor } from '../store/executor.js';
import { toNumber } from '../store/executor.js';
import { parseCsv } from './csv.js';
import { badRowsError, ImportError, importErrorCodes, type ImportProblem } from './import-error.js';
import { relinkReworkRecords } from './rework-link.js';

// Production records: what the factory knows of each unit (issue #6) — its batch, when it was
// built, the module's firmware revision and IMEI at the time. The key is the fleet's unit id (the
// unit's serial number, as printed on it); chip_serial is the Sahara serial rework records carry.

export interface ProductionRecord {
  readonly unit: string;
  readonly chipSerial: string | null;
  readonly batch: string | null;
  readonly producedOn: string | null;
  readonly moduleRevision: string | null;
  readonly imei: string | null;
}

export interface ProductionImportReport {
  readonly rows: number;
  readonly inserted: number;
  readonly updated: number;
  /** Rework records imported earlier that these rows now tie to a unit (by IMEI or chip serial). */
  readonly reworkLinked: number;
}

type Column = keyof ProductionRecord;

/** Header names accepted per column (lower case; spaces and dashes read as underscores). */
const columnNames: Readonly<Record<Column, readonly string[]>> = {
  unit: ['unit', 'unit_id', 'unit_serial', 'serial', 'id'],
  chipSerial: ['chip_serial', 'sahara_serial'],
  batch: ['batch', 'production_batch'],
  producedOn: ['production_date', 'produced_on', 'date'],
  moduleRevision: ['module_revision', 'revision', 'firmware_revision'],
  imei: ['imei', 'imei_at_production'],
};

const HINT = 'A header row, then one unit per row: unit,batch,production_date,module_revision,imei (optional chip_serial); dates as YYYY-MM-DD, IMEI 15 digits. Fix the lines named and import the file again.';

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/gu, '_');
}

function headerColumns(header: readonly string[]): Map<number, Column> {
  const byName = new Map<string, Column>();
  for (const [column, names] of Object.entries(columnNames) as [Column, readonly string[]][]) for (const name of names) byName.set(name, column);
  const columns = new Map<number, Column>();
  const seen = new Set<Column>();
  header.forEach((raw, index) => {
    const column = byName.get(normalise(raw));
    if (column === undefined) throw new ImportError(importErrorCodes.malformed, `production CSV: unknown column "${raw.slice(0, 60)}" in the header (line 1)`, { hint: `Known columns: ${Object.values(columnNames).map((names) => names[0]).join(', ')}. ${HINT}` });
    if (seen.has(column)) throw new ImportError(importErrorCodes.malformed, `production CSV: column "${raw}" appears twice in the header`, { hint: HINT });
    seen.add(column);
    columns.set(index, column);
  });
  if (!seen.has('unit')) throw new ImportError(importErrorCodes.malformed, 'production CSV: the header has no unit column', { hint: HINT });
  return columns;
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function checkValue(column: Column, value: string): string | undefined {
  if (column === 'unit' && !new RegExp(UNIT_ID_PATTERN, 'u').test(value)) return `unit "${value.slice(0, 70)}" is not a unit id (letters, digits, . _ : -, at most 64)`;
  if (column === 'producedOn' && value !== '' && !isCalendarDate(value)) return `production_date "${value.slice(0, 40)}" is not a date YYYY-MM-DD`;
  if (column === 'imei' && value !== '' && !/^\d{15}$/u.test(value)) return `imei "${value.slice(0, 40)}" is not 15 digits`;
  if (column === 'chipSerial' && value !== '' && !/^[0-9a-fA-F]{8}$/u.test(value)) return `chip_serial "${value.slice(0, 40)}" is not 8 hex digits`;
  if (value.length > 200) return `${column} is longer than 200 characters`;
  return undefined;
}

/** Reads the CSV; throws `ImportError` naming every bad line (nothing is half-read). */
export function parseProductionCsv(text: string): ProductionRecord[] {
  return readProductionCsv(text).records;
}

function readProductionCsv(text: string): { records: ProductionRecord[]; columns: Column[] } {
  const parsed = parseCsv(text);
  if (!parsed.ok) throw badRowsError('production CSV', [{ line: parsed.line, reason: parsed.reason }], HINT);
  const [header, ...rows] = parsed.records;
  if (header === undefined) throw new ImportError(importErrorCodes.malformed, 'production CSV: the file is empty', { hint: HINT });
  const columns = headerColumns(header.fields);
  const problems: ImportProblem[] = [];
  const records: ProductionRecord[] = [];
  const lineOfUnit = new Map<string, number>();
  for (const row of rows) {
    if (row.fields.length !== header.fields.length) {
      problems.push({ line: row.line, reason: `${row.fields.length} fields where the header has ${header.fields.length}` });
      continue;
    }
    const record: Record<Column, string | null> = { unit: '', chipSerial: null, batch: null, producedOn: null, moduleRevision: null, imei: null };
    let bad = false;
    for (const [index, column] of columns) {
      const value = (row.fields[index] ?? '').trim();
      const problem = checkValue(column, value);
      if (problem !== undefined) {
        problems.push({ line: row.line, reason: problem });
        bad = true;
        break;
      }
      record[column] = column === 'unit' ? value : value === '' ? null : column === 'chipSerial' ? value.toLowerCase() : value;
    }
    if (bad) continue;
    const unit = record.unit ?? '';
    const earlier = lineOfUnit.get(unit);
    if (earlier !== undefined) {
      problems.push({ line: row.line, reason: `unit ${unit} again (first on line ${earlier})` });
      continue;
    }
    lineOfUnit.set(unit, row.line);
    records.push({ ...record, unit });
  }
  if (problems.length > 0) throw badRowsError('production CSV', problems, HINT);
  if (records.length === 0) throw new ImportError(importErrorCodes.malformed, 'production CSV: a header but no rows', { hint: HINT });
  return { records, columns: [...columns.values()] };
}

const UPSERT = `
INSERT INTO production_records (unit, serial, batch, produced_on, module_revision, imei)
SELECT r->>'unit', r->>'chipSerial', r->>'batch', (r->>'producedOn')::date, r->>'moduleRevision', r->>'imei' FROM jsonb_array_elements($1::jsonb) AS r
ON CONFLICT (unit) DO UPDATE SET
  serial = CASE WHEN 'chipSerial' = ANY($2::text[]) THEN EXCLUDED.serial ELSE production_records.serial END,
  batch = CASE WHEN 'batch' = ANY($2::text[]) THEN EXCLUDED.batch ELSE production_records.batch END,
  produced_on = CASE WHEN 'producedOn' = ANY($2::text[]) THEN EXCLUDED.produced_on ELSE production_records.produced_on END,
  module_revision = CASE WHEN 'moduleRevision' = ANY($2::text[]) THEN EXCLUDED.module_revision ELSE production_records.module_revision END,
  imei = CASE WHEN 'imei' = ANY($2::text[]) THEN EXCLUDED.imei ELSE production_records.imei END,
  imported_at = now()
RETURNING (xmax = 0) AS inserted`;

/**
 * Parses and stores the CSV in one transaction: every row, or (on any bad line) none. A unit already
 * imported is updated in the columns this file has; columns it lacks keep their values.
 */
export async function importProduction(db: SqlExecutor, text: string): Promise<ProductionImportReport> {
  const { records, columns } = readProductionCsv(text);
  return db.transaction(async (tx) => {
    const rows = await tx.query(UPSERT, [JSON.stringify(records), columns]);
    const inserted = rows.filter((row) => row['inserted'] === true).length;
    const reworkLinked = await relinkReworkRecords(tx);
    return { rows: records.length, inserted, updated: rows.length - inserted, reworkLinked: toNumber(reworkLinked) };
  });
}
