// RFC 4180: fields separated by commas, records by CRLF (LF accepted), a field in double quotes may
// hold commas, line breaks and "" for a quote. Spreadsheets add a BOM and a last empty line.

export interface CsvRecord {
  /** 1-based line of the file where the record starts (what an editor shows). */
  readonly line: number;
  readonly fields: readonly string[];
}

export type CsvParse = { readonly ok: true; readonly records: readonly CsvRecord[] } | { readonly ok: false; readonly line: number; readonly reason: string };

export function parseCsv(text: string): CsvParse {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let index = 0;
  let quotedField = false;
  const endField = (): void => {
    fields.push(field);
    field = '';
    quotedField = false;
  };
  const endRecord = (): void => {
    endField();
    // A blank line is no record (the usual trailing newline, or gaps a spreadsheet leaves).
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };
  while (index < input.length) {
    const char = input[index];
    if (char === '"' && field === '' && !quotedField) {
      const start = line;
      index += 1;
      for (;;) {
        if (index >= input.length) return { ok: false, line: start, reason: 'a quoted field is not closed (a " is missing)' };
        const inner = input[index];
        if (inner === '"') {
          if (input[index + 1] === '"') {
            field += '"';
            index += 2;
            continue;
          }
          index += 1;
          break;
        }
        if (inner === '\n') line += 1;
        field += inner ?? '';
        index += 1;
      }
      quotedField = true;
      const next = input[index];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') return { ok: false, line, reason: `text after a closing quote (${JSON.stringify(next)}): quote the whole field and double the quotes inside` };
      continue;
    }
    if (char === '"') return { ok: false, line, reason: 'a quote inside an unquoted field: quote the whole field and double the quotes inside' };
    if (char === ',') {
      endField();
      index += 1;
      continue;
    }
    if (char === '\r' || char === '\n') {
      index += char === '\r' && input[index + 1] === '\n' ? 2 : 1;
      endRecord();
      line += 1;
      recordLine = line;
      continue;
    }
    field += char ?? '';
    index += 1;
  }
  if (field !== '' || fields.length > 0 || quotedField) endRecord();
  return { ok: true, records };
}
