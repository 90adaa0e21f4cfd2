import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFunctionLevel } from '../../src/modem/functionality.js';
import { persistentSettings } from '../../src/modem/persistent-settings.js';
import { rsrpQuality, sinrQuality, worseOf } from '../../src/modem/signal-quality.js';
import { vbatBand } from '../../src/modem/supply.js';

function setting(key: string): (typeof persistentSettings)[number] {
  const found = persistentSettings.find((candidate) => candidate.key === key);
  assert.ok(found, key);
  return found;
}

describe('module knowledge as data', () => {
  it('names CFUN 5 and 7 as the field reports\' calibration and baseline faults', () => {
    assert.equal(describeFunctionLevel(1).severity, 'ok');
    const five = describeFunctionLevel(5);
    assert.equal(five.severity, 'fault');
    assert.match(five.meaning, /calibration/);
    assert.match(five.next ?? '', /restore-calibration/);
    const seven = describeFunctionLevel(7);
    assert.equal(seven.severity, 'fault');
    assert.match(seven.meaning, /baseline/);
    assert.equal(describeFunctionLevel(4).severity, 'warning');
  });

  it('grades VBAT against the 3.3–4.3 V range with an early warning band', () => {
    assert.equal(vbatBand(3800), 'ok');
    assert.equal(vbatBand(3450), 'low');
    assert.equal(vbatBand(3200), 'under');
    assert.equal(vbatBand(4250), 'high');
    assert.equal(vbatBand(4400), 'over');
  });

  it('puts signal figures into plain words, the worse figure winning', () => {
    assert.equal(rsrpQuality(-85), 'good');
    assert.equal(rsrpQuality(-104), 'poor');
    assert.equal(sinrQuality(-3), 'poor');
    assert.equal(worseOf(rsrpQuality(-75), sinrQuality(5)), 'fair');
  });

  it('flags the risky persistent settings of §3.9 and leaves shipped values alone', () => {
    assert.equal(setting('usbnet').assess(['0']), undefined);
    assert.equal(setting('usbnet').assess(['2'])?.severity, 'info');
    assert.equal(setting('fast/poweroff').assess(['1'])?.severity, 'warning');
    assert.equal(setting('fast/poweroff').assess(['0']), undefined);
    assert.equal(setting('usbcfg').assess(['0x2C7C', '0x0125', '1', '1', '1', '1', '1', '0', '0']), undefined);
    const noDiag = setting('usbcfg').assess(['0x2C7C', '0x0125', '0', '1', '1', '1', '1', '0', '0']);
    assert.match(noDiag?.why ?? '', /DIAG/);
    assert.equal(setting('usbcfg').assess(['0x2C7C', '0x0125', '1', '1', '0', '0', '1', '0', '0'])?.severity, 'fault');
    assert.match(setting('urcport').assess(['"uart1"'])?.why ?? '', /RDY/);
    assert.equal(setting('urcport').assess(['"usbat"']), undefined);
    assert.equal(setting('nwscanmode').assess(['3'])?.severity, 'warning');
  });
});
