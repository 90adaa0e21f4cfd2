import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateHealth, isValidImei } from '../../../src/diagnose/health/evaluate.js';
import type { HealthReadings } from '../../../src/diagnose/health/readings.js';

const healthy: HealthReadings = {
  port: '/dev/ttyUSB2',
  identity: { manufacturer: 'Quectel', model: 'EC25', revision: 'EC25AFAR05A04M4G', imei: '866758040000008' },
  sim: { state: 'READY', iccid: '89014103211118510720' },
  functionLevel: 1,
  registration: { stat: 1, statName: 'registered, home network', operator: 'AT&T', act: 7 },
  servingCell: { state: 'NOCONN', rat: 'LTE', rsrp: -85, rsrq: -9, sinr: 15 },
  networkInfo: { act: 'FDD LTE', operator: '310410', band: 'LTE BAND 2', channel: 1000 },
  csq: { rssiDbm: -65, ber: 99 },
  vbatMv: 3800,
  temperatures: [{ name: 'pmic', celsius: 34 }],
  settings: { usbnet: ['0'], urcport: ['"usbat"'], 'fast/poweroff': ['0'] },
  unavailable: [],
};

function variant(changes: Partial<HealthReadings>): HealthReadings {
  return { ...healthy, ...changes };
}

describe('health verdicts', () => {
  it('calls a registered module with good signal and supply healthy, naming where it is registered', () => {
    const report = evaluateHealth(healthy);
    assert.equal(report.verdict.severity, 'ok');
    assert.match(report.verdict.text, /^healthy — registered on AT&T \(FDD LTE\), signal good, VBAT 3\.80 V$/);
    assert.equal(report.revision?.baseline, 5);
    assert.deepEqual(report.findings.filter((f) => f.severity !== 'info'), []);
  });

  it('names lost calibration (+CFUN: 5) as the fault, not the missing signal it causes', () => {
    const report = evaluateHealth(variant({ functionLevel: 5, registration: { stat: 0 }, csq: {}, servingCell: { state: 'SEARCH' } }));
    assert.equal(report.verdict.severity, 'fault');
    assert.match(report.verdict.text, /^FAULT — \+CFUN: 5 — factory test mode: RF calibration/);
    assert.match(report.verdict.text, /restore-calibration/);
    assert.equal(report.findings.some((f) => f.topic === 'registration' || f.topic === 'signal'), false);
  });

  it('explains a missing SIM once, without blaming the network', () => {
    const report = evaluateHealth(variant({ sim: { state: 'NOT INSERTED' }, registration: { stat: 0 } }));
    assert.equal(report.verdict.severity, 'warning');
    assert.match(report.verdict.text, /no SIM card detected/);
    assert.equal(report.findings.filter((f) => f.topic === 'registration').length, 0);
  });

  it('separates "no network heard" from a healthy module and points at antenna and scan restrictions', () => {
    const report = evaluateHealth(variant({
      registration: { stat: 2, statName: 'searching' },
      servingCell: { state: 'SEARCH' },
      csq: {},
      settings: { nwscanmode: ['3'] },
    }));
    const registration = report.findings.find((f) => f.topic === 'registration');
    assert.match(registration?.summary ?? '', /not registered \(searching\), no network found/);
    assert.match(registration?.next ?? '', /antenna/);
    assert.match(registration?.next ?? '', /nwscanmode 3/);
    assert.ok(report.findings.some((f) => f.topic === 'settings' && f.summary.includes('nwscanmode')));
  });

  it('warns about a sagging supply and fails an out-of-range one', () => {
    assert.equal(evaluateHealth(variant({ vbatMv: 3420 })).verdict.severity, 'warning');
    const under = evaluateHealth(variant({ vbatMv: 3150 }));
    assert.equal(under.verdict.severity, 'fault');
    assert.match(under.verdict.text, /VBAT 3\.15 V is below/);
  });

  it('flags risky persistent settings with why', () => {
    const report = evaluateHealth(variant({ settings: { 'fast/poweroff': ['1'], urcport: ['"uart1"'] } }));
    const summaries = report.findings.map((f) => f.summary);
    assert.ok(summaries.some((s) => s.startsWith('fast power-off')));
    assert.ok(summaries.some((s) => s.startsWith('URC port')));
    assert.match(report.verdict.text, /\(\+1 more\)/);
  });

  it('checks IMEIs with the Luhn digit', () => {
    assert.equal(isValidImei('866758040000008'), true);
    assert.equal(isValidImei('866758040000007'), false);
    assert.equal(isValidImei('0'), false);
    assert.equal(evaluateHealth(variant({ identity: { ...healthy.identity, imei: '000000000000001' } })).findings[0]?.topic, 'identity');
  });
});
