import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getServingCell, parseServingCellLine } from '../../../../src/protocols/at/commands/serving-cell.js';
import { assertParseError, parse } from './response.js';

// The real EG25-G line of fact sheet §3.5 (PMSDK openqti cell.h).
const EG25G = '+QENG: "servingcell","NOCONN","LTE","FDD",214,01,7676A09,188,6300,20,3,3,603,-104,-9,-78,11,23';

describe('serving cell (AT+QENG="servingcell")', () => {
  it('parses every field of the real EG25-G LTE sample', () => {
    const report = parse(getServingCell(), EG25G);
    assert.equal(report.state, 'NOCONN');
    assert.equal(report.known, true);
    assert.deepEqual(report.lte, {
      rat: 'LTE',
      state: 'NOCONN',
      duplex: 'FDD',
      mcc: '214',
      mnc: '01',
      cellId: '7676A09',
      pcid: 188,
      earfcn: 6300,
      band: 20,
      ulBandwidth: 3,
      dlBandwidth: 3,
      ulBandwidthMhz: 10,
      dlBandwidthMhz: 10,
      tac: '603',
      rsrp: -104,
      rsrq: -9,
      rssi: -78,
      sinr: 11,
      srxlev: 23,
    });
    assert.deepEqual(report.cells, [report.lte]);
  });

  it('reads "-" as unavailable and accepts the manual\'s form without a space after the colon', () => {
    const report = parse(getServingCell(), '+QENG:"servingcell","LIMSRV","LTE","TDD",-,-,-,87,38400,39,5,5,-,-93,-13,-59,-,46');
    const { lte } = report;
    assert.ok(lte !== undefined);
    assert.equal(lte.mcc, undefined);
    assert.equal(lte.cellId, undefined);
    assert.equal(lte.tac, undefined);
    assert.equal(lte.sinr, undefined);
    assert.equal(lte.pcid, 87);
    assert.equal(lte.dlBandwidthMhz, 20);
  });

  it('reads the searching form, which has no cell', () => {
    assert.deepEqual(parse(getServingCell(), '+QENG: "servingcell","SEARCH"'), { state: 'SEARCH', known: true, cells: [], lte: undefined });
  });

  it('parses other RATs leniently into a generic form', () => {
    const report = parse(getServingCell(), '+QENG:"servingcell","NOCONN","GSM",460,01,5504,2B55,52,123,0,-111,5,14,64,0,0,0,-,-,-,-,-,-,-,-,-,"-"');
    assert.equal(report.lte, undefined);
    const [cell] = report.cells;
    assert.ok(cell !== undefined && cell.rat === 'GSM');
    assert.equal(cell.mcc, '460');
    assert.equal(cell.mnc, '01');
    assert.ok('fields' in cell);
    assert.equal(cell.fields[2], '5504');
    assert.equal(cell.fields.at(-1), undefined);
  });

  it('keeps both lines of the SRLTE form (CDMA + LTE)', () => {
    const report = parse(getServingCell(), '+QENG: "servingcell","NOCONN","CDMA",460,03,1234,5678,283,-60,-5,10', EG25G);
    assert.deepEqual(report.cells.map((cell) => cell.rat), ['CDMA', 'LTE']);
    assert.equal(report.lte?.earfcn, 6300);
  });

  it('rejects a missing or garbled line, naming it', () => {
    assertParseError(getServingCell());
    assertParseError(getServingCell(), '+QENG: "neighbourcell intra","LTE",38950,276,-3,-88,-65,0,37,7,16,6,44');
    assertParseError(getServingCell(), '+QENG: "servingcell","NOCONN","LTE","FDD",214,01,7676A09,x,6300');
    assert.throws(() => parseServingCellLine('+QENG: "servingcell"'), /without <state>/);
  });
});
