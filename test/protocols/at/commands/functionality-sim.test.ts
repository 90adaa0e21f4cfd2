import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getFunctionality, resetModule, setFunctionality } from '../../../../src/protocols/at/commands/functionality.js';
import { getInitStatus, getPinState } from '../../../../src/protocols/at/commands/sim.js';
import { assertParseError, parse } from './response.js';

describe('functionality commands', () => {
  it('AT+CFUN? names the documented modes', () => {
    assert.deepEqual(parse(getFunctionality(), '+CFUN: 1'), { fun: 1, name: 'full' });
    assert.equal(parse(getFunctionality(), '+CFUN: 0').name, 'minimum');
    assert.equal(parse(getFunctionality(), '+CFUN: 4').name, 'airplane');
  });

  it('AT+CFUN? flags the observed 5 (factory test) and 7 as abnormal, and anything else as unknown', () => {
    assert.equal(parse(getFunctionality(), '+CFUN: 5').name, 'factory-test');
    assert.equal(parse(getFunctionality(), '+CFUN: 7').name, 'abnormal-7');
    assert.equal(parse(getFunctionality(), '+CFUN: 9').name, 'unknown');
  });

  it('AT+CFUN? rejects a missing or garbled line', () => {
    assertParseError(getFunctionality());
    assertParseError(getFunctionality(), '+CFUN: x');
  });

  it('set and reset commands have the right text and the 15 s budget', () => {
    assert.equal(setFunctionality(4).text, 'AT+CFUN=4');
    assert.equal(resetModule().text, 'AT+CFUN=1,1');
    assert.ok(setFunctionality(1).timeoutMs >= 15_000);
    assert.deepEqual(setFunctionality(0).responsePrefix, []);
  });
});

describe('SIM commands', () => {
  it('AT+CPIN? reads the state', () => {
    assert.deepEqual(parse(getPinState(), '+CPIN: READY'), { state: 'READY', known: true, ready: true });
    assert.deepEqual(parse(getPinState(), '+CPIN: SIM PIN'), { state: 'SIM PIN', known: true, ready: false });
    assert.deepEqual(parse(getPinState(), '+CPIN: NOT READY'), { state: 'NOT READY', known: false, ready: false });
    assert.ok(getPinState().timeoutMs >= 5000);
    assertParseError(getPinState(), '+CPIN:');
  });

  it('AT+QINISTAT decodes the bitmask', () => {
    assert.deepEqual(parse(getInitStatus(), '+QINISTAT: 7'), { status: 7, cpinReady: true, smsDone: true, phonebookDone: true, complete: true });
    assert.deepEqual(parse(getInitStatus(), '+QINISTAT: 3'), { status: 3, cpinReady: true, smsDone: true, phonebookDone: false, complete: false });
    assert.deepEqual(parse(getInitStatus(), '+QINISTAT: 0'), { status: 0, cpinReady: false, smsDone: false, phonebookDone: false, complete: false });
    assertParseError(getInitStatus(), '+QINISTAT: ready');
  });
});
