import { checkReworkRecord, type ReworkRecord } from '../../diagnose/rework-log/index.js';
import type { SqlExecutor } from '../store/executor.js';
import { badRowsError, ImportError, importErrorCodes, type ImportProblem } from './import-error.js';
import { relinkReworkRecords } from './rework-link.js';

// `medic log --json` prints one rework record per line (src/diagnose/rework-log/README.md). Its
// own reader already dropped torn lines, so a bad line here means the wrong file or an edited one:
// the whole import is refused with the lines named, rather than half of a log stored.

export interface ReworkImportReport {
  readonly records: number;
  /** New records stored. */
  readonly imported: number;
  /** Records whose id was already stored (earlier import, or twice in this file): nothing changed. */
  readonly duplicates: number;
  /** Records of this file now tied to a fleet unit. */
  readonly linked: number;
  /** Ids of this file's records no unit or production record names yet (linked later by a production import). */
  readonly unlinked: readonly string[];
}

const HINT = 'Import the output of `medic log --json` (one JSON record per line, schema 1); fix or remove the lines named and import again.';

export function parseReworkLines(text: string): ReworkRecord[] {
  const problems: ImportProblem[] = [];
  const records: ReworkRecord[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push({ line: index + 1, reason: `not JSON: ${line.slice(0, 40)}${line.length > 40 ? '…' : ''}` });
      return;
    }
    const check = checkReworkRecord(value);
    if (check.ok) records.push(check.record);
    else problems.push({ line: index + 1, reason: check.reason });
  });
  if (problems.length > 0) throw badRowsError('rework log', problems, HINT);
  if (records.length === 0) throw new ImportError(importErrorCodes.malformed, 'rework log: no records in the input', { hint: HINT });
  return records;
}

const INSERT = `
INSERT INTO rework_records (id, imei, serial, time, command, outcome, revision_after, record)
SELECT r->>'id', r->'unit'->>'imei', lower(r->'unit'->>'serial'), (r->>'time')::timestamptz, r->>'command', r->>'outcome', r->'revision'->>'after', r
FROM jsonb_array_elements($1::jsonb) AS r
ON CONFLICT (id) DO NOTHING
RETURNING id`;

/** Stores the records (idempotent by record id) and ties them to units, in one transaction. */
export async function importRework(db: SqlExecutor, text: string): Promise<ReworkImportReport> {
  const records = parseReworkLines(text);
  const unique = [...new Map(records.map((record) => [record.id, record])).values()];
  return db.transaction(async (tx) => {
    const imported = (await tx.query(INSERT, [JSON.stringify(unique)])).length;
    await relinkReworkRecords(tx);
    const rows = await tx.query<{ id: string; unit: string | null }>('SELECT id, unit FROM rework_records WHERE id = ANY($1::text[])', [unique.map((record) => record.id)]);
    const unlinked = rows.filter((row) => row.unit === null).map((row) => row.id).sort();
    return { records: records.length, imported, duplicates: records.length - imported, linked: rows.length - unlinked.length, unlinked };
  });
}
