import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getExtendedRevision, getIccid, getIdentification, getImei, getImsi, getRevision, luhnValid, probe } from '../../../../src/protocols/at/commands/identity.js';
import { assertParseError, parse } from './response.js';

describe('identity commands', () => {
  it('AT expects nothing but OK', () => {
    assert.equal(probe().text, 'AT');
    assert.doesNotThrow(() => {
      parse(probe());
    });
  });

  it('ATI: manufacturer, model and revision from the manual\'s sample', () => {
    assert.deepEqual(parse(getIdentification(), 'Quectel', 'EC25', 'Revision: EC25EFAR02A09M4G'), { manufacturer: 'Quectel', model: 'EC25', revision: 'EC25EFAR02A09M4G' });
  });

  it('ATI: ignores unrelated lines and rejects a response without the revision line', () => {
    assert.equal(parse(getIdentification(), '+QIND: SMS DONE', 'Quectel', 'EG25', 'Revision: EG25GGBR07A08M2G').model, 'EG25');
    assertParseError(getIdentification(), 'Quectel', 'EC25');
    assertParseError(getIdentification(), 'Revision: EC25EFAR02A09M4G');
  });

  it('AT+GMR / AT+CGMR: the revision alone', () => {
    assert.equal(parse(getRevision(), 'EC25EFAR02A09M4G'), 'EC25EFAR02A09M4G');
    assert.equal(getRevision('CGMR').text, 'AT+CGMR');
    assert.equal(parse(getRevision('CGMR'), 'EC25EFAR02A09M4G'), 'EC25EFAR02A09M4G');
    assert.equal(parse(getRevision('CGMR'), '+CGMR: EC25EFAR06A06M4G'), 'EC25EFAR06A06M4G');
    assert.equal(parse(getRevision(), 'Revision: EC25EFAR02A09M4G'), 'EC25EFAR02A09M4G');
    assertParseError(getRevision());
    assertParseError(getRevision(), 'garbled revision!!');
  });

  it('AT+QGMR: splits the sub-version suffix', () => {
    assert.deepEqual(parse(getExtendedRevision(), 'EG25GGBR07A08M2G_30.203.30.203'), { full: 'EG25GGBR07A08M2G_30.203.30.203', main: 'EG25GGBR07A08M2G', subVersion: '30.203.30.203' });
    assert.deepEqual(parse(getExtendedRevision(), 'EC25EFAR06A06M4G'), { full: 'EC25EFAR06A06M4G', main: 'EC25EFAR06A06M4G', subVersion: undefined });
  });

  it('AT+GSN / AT+CGSN: a 15-digit IMEI with its Luhn check', () => {
    assert.deepEqual(parse(getImei(), '490154203237518'), { imei: '490154203237518', luhnValid: true });
    assert.deepEqual(parse(getImei('CGSN'), '490154203237517'), { imei: '490154203237517', luhnValid: false });
    assert.deepEqual(parse(getImei('CGSN'), '+CGSN: "490154203237518"'), { imei: '490154203237518', luhnValid: true });
    assertParseError(getImei(), '49015420323751');
    assertParseError(getImei(), '4901542032375180');
    assertParseError(getImei(), 'ERROR-ish');
  });

  it('Luhn: known vectors', () => {
    assert.equal(luhnValid('79927398713'), true);
    assert.equal(luhnValid('79927398710'), false);
    assert.equal(luhnValid('35-20'), false);
  });

  it('AT+CIMI and AT+QCCID', () => {
    assert.equal(parse(getImsi(), '460011234567890'), '460011234567890');
    assertParseError(getImsi(), '12345');
    assert.equal(parse(getIccid(), '+QCCID: 89860117838009934120'), '89860117838009934120');
    assert.equal(parse(getIccid(), '+QCCID: 8944100000000000123f'), '8944100000000000123F');
    assertParseError(getIccid(), '89860117838009934120');
    assertParseError(getIccid(), '+QCCID: 123');
  });
});
