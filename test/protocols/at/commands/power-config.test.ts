import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getApResetLevel, getBands, getFastPowerOff, getLedMode, getModemResetLevel, getQcfg, getScanMode, getUrcCache, getUrcPort, getUsbConfig, getUsbNet, quoted, setQcfg, setUrcPort } from '../../../../src/protocols/at/commands/config.js';
import { getBatteryCharge, getTemperatures, powerDownCommand } from '../../../../src/protocols/at/commands/power.js';
import { restoreDefaults, setEcho, setErrorFormat } from '../../../../src/protocols/at/commands/terminal.js';
import { isMedicError } from '../../../../src/core/errors.js';
import { assertParseError, parse } from './response.js';

describe('power commands', () => {
  it('AT+CBC gives VBAT in millivolts', () => {
    assert.deepEqual(parse(getBatteryCharge(), '+CBC: 0,76,3921'), { bcs: 0, bcl: 76, voltageMv: 3921 });
    assertParseError(getBatteryCharge(), '+CBC: 0,76');
  });

  it('AT+QTEMP: three integers, 255 = sensor not available', () => {
    assert.deepEqual(parse(getTemperatures(), '+QTEMP: 34,255,255'), {
      sensors: [
        { name: 'pmic', raw: '34', celsius: 34 },
        { name: 'xo', raw: '255', celsius: undefined },
        { name: 'pa', raw: '255', celsius: undefined },
      ],
      highest: 34,
    });
    assert.equal(parse(getTemperatures(), '+QTEMP: 30,26,26').highest, 30);
  });

  it('AT+QTEMP: the named per-sensor form of newer modules, and other counts, leniently', () => {
    const named = parse(getTemperatures(), '+QTEMP: "modem-lte-sub6-pa1","32"', '+QTEMP: "aoss0-usr","35"', '+QTEMP: "mdm-core-usr","-"');
    assert.deepEqual(named.sensors.map((sensor) => [sensor.name, sensor.celsius]), [['modem-lte-sub6-pa1', 32], ['aoss0-usr', 35], ['mdm-core-usr', undefined]]);
    assert.equal(named.highest, 35);
    assert.deepEqual(parse(getTemperatures(), '+QTEMP: 40,41').sensors.map((sensor) => sensor.name), ['sensor1', 'sensor2']);
    assertParseError(getTemperatures());
    assertParseError(getTemperatures(), '+QTEMP: hot');
  });

  it('AT+QPOWD forms', () => {
    assert.equal(powerDownCommand().text, 'AT+QPOWD');
    assert.equal(powerDownCommand(0).text, 'AT+QPOWD=0');
    assert.equal(powerDownCommand(1).text, 'AT+QPOWD=1');
    assert.ok(powerDownCommand().timeoutMs >= 60_000);
  });
});

describe('QCFG and QURCCFG', () => {
  it('queries any key and keeps the raw values', () => {
    assert.equal(getQcfg('nwscanseq').text, 'AT+QCFG="nwscanseq"');
    assert.deepEqual(parse(getQcfg('nwscanseq'), '+QCFG: "nwscanseq",0403010205'), { key: 'nwscanseq', values: ['0403010205'] });
    assertParseError(getQcfg('nwscanseq'), '+QCFG: "band",0x93,0x80800c5,0x0');
  });

  it('reads the integer settings with names where the meaning is known', () => {
    assert.deepEqual(parse(getUsbNet(), '+QCFG: "usbnet",0'), { key: 'usbnet', values: ['0'], value: 0, name: 'qmi-rmnet' });
    assert.equal(parse(getUsbNet(), '+QCFG: "usbnet",2').name, 'mbim');
    assert.equal(parse(getScanMode(), '+QCFG: "nwscanmode",3').name, 'lte-only');
    assert.equal(parse(getLedMode(), '+QCFG: "ledmode",0').value, 0);
    assert.equal(parse(getUrcCache(), '+QCFG: "urc/cache",1').name, 'on');
    assert.equal(parse(getApResetLevel(), '+QCFG: "aprstlevel",0').key, 'aprstlevel');
    assert.equal(parse(getModemResetLevel(), '+QCFG: "ModemRstLevel",1').value, 1);
    assertParseError(getLedMode(), '+QCFG: "ledmode",x');
  });

  it('reads fast/poweroff with and without the pin field', () => {
    assert.equal(parse(getFastPowerOff(), '+QCFG: "fast/poweroff",25,1').enabled, true);
    assert.equal(parse(getFastPowerOff(), '+QCFG: "fast/poweroff",0').enabled, false);
  });

  it('decodes the band masks, including LTE masks beyond 2^53', () => {
    const bands = parse(getBands(), '+QCFG: "band",0x93,0x80800c5,0x0');
    assert.equal(bands.lte, 0x80800c5n);
    assert.deepEqual(bands.lteBands, [1, 3, 7, 8, 20, 28]);
    assert.equal(bands.gsmWcdma, 0x93n);
    const wide = parse(getBands(), '+QCFG: "band",260,42000000000000381a');
    assert.equal(wide.tdscdma, undefined);
    assert.ok(wide.lteBands.includes(66) && wide.lteBands.includes(71));
    assertParseError(getBands(), '+QCFG: "band",0x93');
  });

  it('reads usbcfg: VID, PID and which ports are enabled', () => {
    const config = parse(getUsbConfig(), '+QCFG: "usbcfg",0x2C7C,0x0125,1,1,1,1,1,0,0');
    assert.equal(config.vid, 0x2c7c);
    assert.equal(config.pid, 0x0125);
    assert.deepEqual(config.functions, { diag: true, nmea: true, at: true, modem: true, rmnet: true, adb: false, uac: false });
  });

  it('builds set commands and refuses arguments that would inject another command', () => {
    assert.equal(setQcfg('urc/cache', [0]).text, 'AT+QCFG="urc/cache",0');
    assert.equal(setQcfg('risignaltype', [quoted('physical')]).text, 'AT+QCFG="risignaltype","physical"');
    assert.deepEqual(setQcfg('ledmode', [1]).responsePrefix, []);
    for (const build of [() => setQcfg('band', ['0;+CFUN=0']), () => setQcfg('x\r', [1]), () => setQcfg('ledmode', []), () => quoted('a"b')]) {
      assert.throws(build, (error: unknown) => isMedicError(error) && error.code === 'USAGE');
    }
  });

  it('reads and sets the URC port', () => {
    assert.equal(parse(getUrcPort(), '+QURCCFG: "urcport","usbat"'), 'usbat');
    assert.equal(setUrcPort('all').text, 'AT+QURCCFG="urcport","all"');
    assertParseError(getUrcPort(), '+QURCCFG: "urcport"');
  });
});

describe('terminal settings', () => {
  it('builds ATE, AT+CMEE and AT&F', () => {
    assert.deepEqual([setEcho(false).text, setEcho(true).text, setErrorFormat(2).text, restoreDefaults().text], ['ATE0', 'ATE1', 'AT+CMEE=2', 'AT&F']);
  });
});
