// RFC 4180: fields with a comma, a double quote, CR or LF are quoted, quotes doubled; CRLF ends
// every record (spreadsheets and Python's csv module read it so; a bare LF inside a quoted field
// stays as it is).

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function renderCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
