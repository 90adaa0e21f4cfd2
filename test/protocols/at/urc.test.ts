import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchUrc, responsePrefixes, routeLine, URC_CATALOGUE, URC_CATALOGUE_VERIFIED } from '../../../src/protocols/at/urc.js';

describe('URC catalogue and routing', () => {
  it('derives the response prefix from the command text', () => {
    assert.deepEqual(responsePrefixes('AT+CFUN?'), ['+CFUN:']);
    assert.deepEqual(responsePrefixes('AT+CFUN=1,1'), ['+CFUN:']);
    assert.deepEqual(responsePrefixes('at+csq'), ['+CSQ:']);
    assert.deepEqual(responsePrefixes('AT+QENG="servingcell"'), ['+QENG:']);
    assert.deepEqual(responsePrefixes('AT+CSQ;+CREG?'), ['+CSQ:', '+CREG:']);
    assert.deepEqual(responsePrefixes('ATI'), []);
    assert.deepEqual(responsePrefixes('AT&F'), []);
    assert.deepEqual(responsePrefixes('ATE0'), []);
  });

  it('knows the boot, power and indication URCs of the fact sheet', () => {
    const names = (lines: string[]): (string | undefined)[] => lines.map((line) => matchUrc(line)?.name);
    assert.deepEqual(names(['RDY', '+CFUN: 1', '+CPIN: READY', '+QUSIM: 1', '+QIND: SMS DONE', '+QIND: PB DONE', 'POWERED DOWN']), ['ready', 'functionality', 'pin', 'usim', 'indication', 'indication', 'powered-down']);
    assert.deepEqual(names(['+CREG: 1', '+CGREG: 5', '+CEREG: 1,"603","7676A09",7', 'RING', '+CMTI: "SM",3', '+QIURC: "closed",0', '+QGPSURC: "xtradata"', '+QSTK: "x"']), ['registration', 'gprs-registration', 'eps-registration', 'ring', 'sms-stored', 'socket', 'gnss', 'sim-toolkit']);
    assert.equal(matchUrc('+CSQ: 20,99'), undefined);
    assert.equal(matchUrc('RDYX'), undefined);
  });

  it('marks the GSM-module voltage URCs as unverified for EC25 and can leave them out', () => {
    const entry = matchUrc('UNDER_VOLTAGE WARNING');
    assert.equal(entry?.unverified, true);
    assert.equal(matchUrc('UNDER_VOLTAGE WARNING', URC_CATALOGUE_VERIFIED), undefined);
    assert.equal(matchUrc('RDY', URC_CATALOGUE_VERIFIED)?.name, 'ready');
    assert.ok(URC_CATALOGUE_VERIFIED.length < URC_CATALOGUE.length);
  });

  it('with no command in flight, every line is a URC, known or not', () => {
    assert.deepEqual(routeLine('+CFUN: 1', undefined), { kind: 'urc', entry: matchUrc('+CFUN: 1') });
    assert.deepEqual(routeLine('something odd', undefined), { kind: 'urc', entry: undefined });
    assert.deepEqual(routeLine('OK', undefined), { kind: 'urc', entry: undefined });
  });

  it('during a command: own prefix → response, catalogued → URC, unknown → response, final ends it', () => {
    const inFlight = { prefixes: ['+CSQ:'] };
    assert.equal(routeLine('+CSQ: 20,99', inFlight).kind, 'response');
    assert.equal(routeLine('+CPIN: READY', inFlight).kind, 'urc');
    assert.equal(routeLine('RING', inFlight).kind, 'urc');
    assert.equal(routeLine('866758041234567', inFlight).kind, 'response');
    assert.equal(routeLine('+QWHATEVER: 1', inFlight).kind, 'response');
    assert.deepEqual(routeLine('+CME ERROR: 10', inFlight), { kind: 'final', final: { kind: 'CME_ERROR', line: '+CME ERROR: 10', code: 10, meaning: 'SIM not inserted' } });
  });

  it('gives a URC that shares the command prefix to the response (the documented ambiguity)', () => {
    assert.equal(routeLine('+CFUN: 1', { prefixes: ['+CFUN:'] }).kind, 'response');
    assert.equal(routeLine('+CFUN: 1', { prefixes: [] }).kind, 'urc');
  });

  it('never puts RDY into a response, whatever the prefix', () => {
    assert.equal(routeLine('RDY', { prefixes: [] }).kind, 'urc');
  });

  it('takes NO CARRIER as the final of a command in flight and as a URC when idle', () => {
    assert.equal(routeLine('NO CARRIER', { prefixes: [] }).kind, 'final');
    assert.deepEqual(routeLine('NO CARRIER', undefined), { kind: 'urc', entry: matchUrc('NO CARRIER') });
  });
});
