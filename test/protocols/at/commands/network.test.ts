import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csqToDbm, getNetworkInfo, getOperator, getRegistration, getSignalQuality, parseRegistrationUrc } from '../../../../src/protocols/at/commands/network.js';
import { assertParseError, parse } from './response.js';

describe('signal quality (AT+CSQ)', () => {
  it('reads "+CSQ: 99,99" as nothing known', () => {
    assert.deepEqual(parse(getSignalQuality(), '+CSQ: 99,99'), { rssi: 99, ber: 99, dbm: undefined, scale: 'rssi', berClass: undefined });
  });

  it('converts rssi 0..31 to −113..−51 dBm', () => {
    assert.equal(parse(getSignalQuality(), '+CSQ: 0,0').dbm, -113);
    assert.equal(parse(getSignalQuality(), '+CSQ: 1,3').dbm, -111);
    assert.deepEqual(parse(getSignalQuality(), '+CSQ: 28,99'), { rssi: 28, ber: 99, dbm: -57, scale: 'rssi', berClass: undefined });
    assert.equal(parse(getSignalQuality(), '+CSQ: 31,7').dbm, -51);
    assert.equal(parse(getSignalQuality(), '+CSQ: 31,7').berClass, 7);
  });

  it('converts the TD-SCDMA extension 100..191 to −116..−25 dBm; 199 is unknown', () => {
    assert.equal(csqToDbm(100), -116);
    assert.equal(csqToDbm(101), -115);
    assert.equal(csqToDbm(191), -25);
    assert.equal(csqToDbm(199), undefined);
    assert.equal(csqToDbm(50), undefined);
    assert.equal(parse(getSignalQuality(), '+CSQ: 150,99').scale, 'td-scdma-rscp');
  });

  it('picks its line among unrelated ones and rejects garbage', () => {
    assert.equal(parse(getSignalQuality(), '+QIND: "csq",20,99', '+CSQ: 20,99').rssi, 20);
    assertParseError(getSignalQuality());
    assertParseError(getSignalQuality(), '+CSQ: 20');
    assertParseError(getSignalQuality(), '+CSQ: a,b');
  });
});

describe('registration (AT+CREG? / AT+CGREG? / AT+CEREG?)', () => {
  it('reads n and stat', () => {
    assert.deepEqual(parse(getRegistration(), '+CREG: 0,1'), { kind: 'CREG', n: 0, stat: 1, state: 'home', registered: true, areaCode: undefined, cellId: undefined, act: undefined, accessTechnology: undefined });
    assert.equal(parse(getRegistration('CGREG'), '+CGREG: 0,2').state, 'searching');
    assert.equal(parse(getRegistration('CEREG'), '+CEREG: 0,3').state, 'denied');
    assert.equal(parse(getRegistration('CEREG'), '+CEREG: 0,5').registered, true);
  });

  it('reads location and access technology in the n=2 form', () => {
    assert.deepEqual(parse(getRegistration('CEREG'), '+CEREG: 2,1,"603","7676A09",7'), { kind: 'CEREG', n: 2, stat: 1, state: 'home', registered: true, areaCode: '603', cellId: '7676A09', act: 7, accessTechnology: 'E-UTRAN' });
  });

  it('skips a registration URC that slipped into the response', () => {
    assert.equal(parse(getRegistration(), '+CREG: 1,"D509","80D413D",7', '+CREG: 2,5,"D509","80D413D",7').stat, 5);
    assert.equal(parse(getRegistration(), '+CREG: 5', '+CREG: 0,5').n, 0);
    assertParseError(getRegistration(), '+CREG: 1');
  });

  it('parses the URC form on its own', () => {
    assert.deepEqual(parseRegistrationUrc('+CREG: 1,"D509","80D413D",7'), { kind: 'CREG', n: undefined, stat: 1, state: 'home', registered: true, areaCode: 'D509', cellId: '80D413D', act: 7, accessTechnology: 'E-UTRAN' });
    assert.equal(parseRegistrationUrc('+CEREG: 2')?.state, 'searching');
    assert.equal(parseRegistrationUrc('+CREG: 0,1'), undefined);
    assert.equal(parseRegistrationUrc('+CSQ: 1,1'), undefined);
  });
});

describe('operator (AT+COPS?) and network info (AT+QNWINFO)', () => {
  it('reads the manual\'s +COPS example', () => {
    assert.deepEqual(parse(getOperator(), '+COPS: 0,0,"CHN-UNICOM",7'), { mode: 0, modeName: 'automatic', format: 0, operator: 'CHN-UNICOM', act: 7, accessTechnology: 'E-UTRAN' });
  });

  it('reads +COPS without an operator, and has the 180 s budget', () => {
    assert.deepEqual(parse(getOperator(), '+COPS: 0'), { mode: 0, modeName: 'automatic', format: undefined, operator: undefined, act: undefined, accessTechnology: undefined });
    assert.ok(getOperator().timeoutMs >= 180_000);
  });

  it('reads the manual\'s +QNWINFO example with an unquoted operator, and a quoted one', () => {
    assert.deepEqual(parse(getNetworkInfo(), '+QNWINFO: "FDD LTE",46011,"LTE BAND 3",1650'), { act: 'FDD LTE', inService: true, operator: '46011', band: 'LTE BAND 3', channel: 1650 });
    assert.equal(parse(getNetworkInfo(), '+QNWINFO: "FDD LTE","46011","LTE BAND 3",1650').operator, '46011');
  });

  it('reads "No Service" leniently and rejects garbage', () => {
    assert.deepEqual(parse(getNetworkInfo(), '+QNWINFO: No Service'), { act: 'No Service', inService: false, operator: undefined, band: undefined, channel: undefined });
    assertParseError(getNetworkInfo(), '+QNWINFO: "FDD LTE",46011,"LTE BAND 3",x');
    assertParseError(getNetworkInfo());
  });
});
