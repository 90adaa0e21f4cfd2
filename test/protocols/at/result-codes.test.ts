import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CME_ERROR_TEXT, errorCodeForText } from '../../../src/protocols/at/error-codes.js';
import { describeFinal, isSuccess, parseFinalResult } from '../../../src/protocols/at/result-codes.js';

describe('final result codes', () => {
  it('recognises every plain final result code', () => {
    const cases = [
      ['OK', 'OK'],
      ['ERROR', 'ERROR'],
      ['NO CARRIER', 'NO_CARRIER'],
      ['BUSY', 'BUSY'],
      ['NO ANSWER', 'NO_ANSWER'],
      ['NO DIALTONE', 'NO_DIALTONE'],
      ['CONNECT', 'CONNECT'],
    ] as const;
    for (const [line, kind] of cases) assert.equal(parseFinalResult(line)?.kind, kind, line);
  });

  it('keeps the text after CONNECT', () => {
    assert.deepEqual(parseFinalResult('CONNECT 150000000'), { kind: 'CONNECT', line: 'CONNECT 150000000', text: '150000000' });
  });

  it('is not fooled by lines that only look similar', () => {
    for (const line of ['OK!', 'OKAY', 'ERROR 5', '+CSQ: 99,99', 'RDY', 'RING', 'CONNECTED', 'ok', '+CME ERRORS: 3']) {
      assert.equal(parseFinalResult(line), undefined, line);
    }
  });

  it('gives a numeric +CME ERROR (AT+CMEE=1) its meaning from the manual', () => {
    assert.deepEqual(parseFinalResult('+CME ERROR: 10'), { kind: 'CME_ERROR', line: '+CME ERROR: 10', code: 10, meaning: 'SIM not inserted' });
    assert.equal(parseFinalResult('+CME ERROR: 3')?.meaning, 'operation not allowed');
    assert.equal(parseFinalResult('+CME ERROR: 903')?.meaning, 'audio operation not supported');
  });

  it('keeps a numeric code the table does not know, without inventing a meaning', () => {
    assert.deepEqual(parseFinalResult('+CME ERROR: 999'), { kind: 'CME_ERROR', line: '+CME ERROR: 999', code: 999 });
  });

  it('maps verbose +CME ERROR text (AT+CMEE=2) back to its code, forgiving case and spacing', () => {
    assert.deepEqual(parseFinalResult('+CME ERROR: SIM not inserted'), { kind: 'CME_ERROR', line: '+CME ERROR: SIM not inserted', code: 10, text: 'SIM not inserted', meaning: 'SIM not inserted' });
    assert.equal(parseFinalResult('+CME ERROR: sim  PIN required')?.code, 11);
    assert.equal(parseFinalResult('+CME ERROR: "operation not allowed"')?.code, 3);
  });

  it('keeps verbose text the table does not know', () => {
    assert.deepEqual(parseFinalResult('+CME ERROR: Quectel-specific failure'), { kind: 'CME_ERROR', line: '+CME ERROR: Quectel-specific failure', text: 'Quectel-specific failure' });
  });

  it('parses +CMS ERROR with the SMS table', () => {
    assert.deepEqual(parseFinalResult('+CMS ERROR: 310'), { kind: 'CMS_ERROR', line: '+CMS ERROR: 310', code: 310, meaning: 'SIM not inserted' });
    assert.equal(parseFinalResult('+CMS ERROR: SMSC address unknown')?.code, 330);
  });

  it('contains every code the fact sheet lists in §3.1', () => {
    for (const code of [0, 3, 4, 10, 11, 12, 13, 14, 15, 16, 30, 31, 901, 902, 903, 904]) {
      assert.ok(code in CME_ERROR_TEXT, `CME ${code}`);
    }
    assert.equal(errorCodeForText('CME', 'incorrect password'), 16);
  });

  it('treats OK and CONNECT as success and describes failures readably', () => {
    assert.equal(isSuccess({ kind: 'OK', line: 'OK' }), true);
    assert.equal(isSuccess({ kind: 'CONNECT', line: 'CONNECT' }), true);
    assert.equal(isSuccess({ kind: 'CME_ERROR', line: '+CME ERROR: 10', code: 10 }), false);
    const final = parseFinalResult('+CME ERROR: 10');
    assert.ok(final !== undefined);
    assert.equal(describeFinal(final), '+CME ERROR: 10 (SIM not inserted)');
  });
});
