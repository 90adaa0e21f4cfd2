import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv } from '../../../src/fleet/imports/index.js';

describe('RFC 4180 CSV', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF, and a BOM', () => {
    const parsed = parseCsv('\uFEFFunit,note\r\nu1,"a, b"\r\nu2,"say ""hi"""\nu3,"two\nlines"\r\n\r\nu4,\r\n');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.records, [
      { line: 1, fields: ['unit', 'note'] },
      { line: 2, fields: ['u1', 'a, b'] },
      { line: 3, fields: ['u2', 'say "hi"'] },
      { line: 4, fields: ['u3', 'two\nlines'] },
      { line: 7, fields: ['u4', ''] },
    ]);
  });

  it('reads a last record without its newline', () => {
    const parsed = parseCsv('a,b\n1,2');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.records[1]?.fields, ['1', '2']);
  });

  it('names the line of an unclosed quote, a stray quote and text after a closing quote', () => {
    assert.deepEqual(parseCsv('a,b\n1,"open\n2,3\n'), { ok: false, line: 2, reason: 'a quoted field is not closed (a " is missing)' });
    assert.deepEqual(parseCsv('a,b\n1,x"y\n'), { ok: false, line: 2, reason: 'a quote inside an unquoted field: quote the whole field and double the quotes inside' });
    assert.deepEqual(parseCsv('a,b\n\n1,"x"y\n'), { ok: false, line: 3, reason: 'text after a closing quote ("y"): quote the whole field and double the quotes inside' });
  });
});
