// AT+QCFG and AT+QURCCFG. Every QCFG setting persists in NV (fact sheet §3.9): a health check
// reads them, and whoever sets them should query first and write only when the value differs
// (eg25-manager's rule, §5.3), because each write costs NV wear.

import { UsageError } from '../../../core/errors.js';
import { AtParseError } from '../errors.js';
import type { AtResponse } from '../response.js';
import { command, noResult, type AtCommand } from './command.js';
import { hexBigInt, linesWith, paramsAfter } from './params.js';

/**
 * The QCFG keys this layer has typed readers for. Which values are risky, and why, is module
 * knowledge: src/modem/persistent-settings.ts.
 */
export type QcfgKey = 'usbnet' | 'usbcfg' | 'band' | 'nwscanmode' | 'fast/poweroff' | 'ledmode' | 'urc/cache' | 'ApRstLevel' | 'ModemRstLevel';

export interface QcfgValue {
  /** The key as the module printed it (case may differ from the query: "aprstlevel"). */
  readonly key: string;
  /** Every value after the key, unquoted, as text. */
  readonly values: readonly string[];
}

function checkArgument(text: string): void {
  if (/[\r\n;]/.test(text)) throw new UsageError(`not a single AT+QCFG argument: ${JSON.stringify(text)}`);
}

function qcfgLine(response: AtResponse, key: string): QcfgValue {
  for (const line of linesWith(response, '+QCFG:')) {
    const params = paramsAfter(line, '+QCFG:');
    const first = params[0];
    if (first !== undefined && first.text.toLowerCase() === key.toLowerCase()) return { key: first.text, values: params.slice(1).map((value) => value.text) };
  }
  throw new AtParseError(response.command, `no +QCFG: "${key}" line in the response`, response.lines);
}

/** `AT+QCFG="<key>"` → `+QCFG: "<key>",<value>[,…]`, values as raw text. */
export function getQcfg(key: string): AtCommand<QcfgValue> {
  checkArgument(key);
  return command(`AT+QCFG="${key}"`, (response) => qcfgLine(response, key));
}

/**
 * `AT+QCFG="<key>",<v1>[,<v2>…]`: numbers are sent as they are, strings verbatim (pass
 * `quoted("physical")` where the manual shows quotes, a bare `0x…` for band masks). Writes NV.
 */
export function setQcfg(key: string, values: readonly (string | number)[]): AtCommand<undefined> {
  checkArgument(key);
  const args = values.map((value) => {
    const text = String(value);
    checkArgument(text);
    return text;
  });
  if (args.length === 0) throw new UsageError(`AT+QCFG="${key}" needs a value to set`, { hint: 'Use getQcfg(key) to read a setting.' });
  return command(`AT+QCFG="${key}",${args.join(',')}`, noResult, { responsePrefix: [] });
}

/** Wraps a string argument in quotes for setQcfg / setUrcPort. */
export function quoted(text: string): string {
  if (text.includes('"')) throw new UsageError(`an AT string argument cannot contain a quote: ${JSON.stringify(text)}`);
  return `"${text}"`;
}

function firstInt(value: QcfgValue, response: AtResponse): number {
  const text = value.values[0] ?? '';
  if (!/^\d+$/.test(text)) throw new AtParseError(response.command, `"${value.key}" value is not an integer`, response.lines);
  return Number(text);
}

/** A QCFG setting that is a single integer (ledmode, urc/cache, ApRstLevel, ModemRstLevel, nwscanmode, usbnet). */
export interface QcfgNumber<N extends string = string> extends QcfgValue {
  readonly value: number;
  readonly name: N | undefined;
}

function numberSetting<N extends string>(key: QcfgKey, names: Readonly<Record<number, N>> = {}): AtCommand<QcfgNumber<N>> {
  return command(`AT+QCFG="${key}"`, (response) => {
    const raw = qcfgLine(response, key);
    const value = firstInt(raw, response);
    return { ...raw, value, name: names[value] };
  });
}

/** usbnet values (fact sheet §1.2). */
export const USBNET_MODES = { 0: 'qmi-rmnet', 1: 'ecm', 2: 'mbim', 3: 'rndis' } as const;
export type UsbNetMode = (typeof USBNET_MODES)[keyof typeof USBNET_MODES];

export function getUsbNet(): AtCommand<QcfgNumber<UsbNetMode>> {
  return numberSetting('usbnet', USBNET_MODES);
}

/** nwscanmode values on EC2x (0 auto and 3 LTE only per manual §6.12/§6.15; 1/2 as used by integrators). */
export const SCAN_MODES = { 0: 'auto', 1: 'gsm-only', 2: 'umts-only', 3: 'lte-only' } as const;
export type ScanMode = (typeof SCAN_MODES)[keyof typeof SCAN_MODES];

export function getScanMode(): AtCommand<QcfgNumber<ScanMode>> {
  return numberSetting('nwscanmode', SCAN_MODES);
}

/** The mode values differ between firmware ((0,1,3), (0-2), (0-3) in =? dumps); kept as a number. */
export function getLedMode(): AtCommand<QcfgNumber> {
  return numberSetting('ledmode');
}

export function getUrcCache(): AtCommand<QcfgNumber> {
  return numberSetting('urc/cache', { 0: 'off', 1: 'on' });
}

export function getApResetLevel(): AtCommand<QcfgNumber> {
  return numberSetting('ApRstLevel');
}

export function getModemResetLevel(): AtCommand<QcfgNumber> {
  return numberSetting('ModemRstLevel');
}

export interface FastPowerOff extends QcfgValue {
  /** The last value: `"fast/poweroff",<pin>,<enable>` on some firmware, `"fast/poweroff",<enable>` on others. */
  readonly enabled: boolean;
}

export function getFastPowerOff(): AtCommand<FastPowerOff> {
  return command('AT+QCFG="fast/poweroff"', (response) => {
    const raw = qcfgLine(response, 'fast/poweroff');
    const last = raw.values.at(-1);
    if (last === undefined || !/^\d+$/.test(last)) throw new AtParseError(response.command, '"fast/poweroff" has no enable value', response.lines);
    return { ...raw, enabled: last === '1' };
  });
}

export interface Bands extends QcfgValue {
  /** <bandval>: GSM/WCDMA mask. */
  readonly gsmWcdma: bigint | undefined;
  /** <ltebandval>: bit n-1 set = LTE band n (manual §6.13: 0x15 = B1+B3+B5). */
  readonly lte: bigint | undefined;
  /** <tdsbandval>, when printed. */
  readonly tdscdma: bigint | undefined;
  readonly lteBands: readonly number[];
}

/** `AT+QCFG="band"` → `+QCFG: "band",0x260,0x42000000000000381a,0x0` (hex, with or without 0x). */
export function getBands(): AtCommand<Bands> {
  return command('AT+QCFG="band"', (response) => {
    const raw = qcfgLine(response, 'band');
    const [gsm, lte, tds] = raw.values.map((value) => hexBigInt(value));
    if (lte === undefined) throw new AtParseError(response.command, '"band" has no hexadecimal LTE mask', response.lines);
    const lteBands: number[] = [];
    for (let bit = 0n, mask = lte; mask > 0n; bit += 1n, mask >>= 1n) if ((mask & 1n) === 1n) lteBands.push(Number(bit) + 1);
    return { ...raw, gsmWcdma: gsm, lte, tdscdma: tds, lteBands };
  });
}

export interface UsbConfig extends QcfgValue {
  readonly vid: number;
  readonly pid: number;
  /** Which functions are enabled; undefined when the firmware prints fewer fields. */
  readonly functions: { readonly diag?: boolean; readonly nmea?: boolean; readonly at?: boolean; readonly modem?: boolean; readonly rmnet?: boolean; readonly adb?: boolean; readonly uac?: boolean };
}

const USBCFG_FUNCTIONS = ['diag', 'nmea', 'at', 'modem', 'rmnet', 'adb', 'uac'] as const;

/** `AT+QCFG="usbcfg"` → `+QCFG: "usbcfg",<vid>,<pid>,<diag>,<nmea>,<at_port>,<modem>,<rmnet>,<adb>,<uac>` (fact sheet §1.2). */
export function getUsbConfig(): AtCommand<UsbConfig> {
  return command('AT+QCFG="usbcfg"', (response) => {
    const raw = qcfgLine(response, 'usbcfg');
    const vid = hexBigInt(raw.values[0] ?? '');
    const pid = hexBigInt(raw.values[1] ?? '');
    if (vid === undefined || pid === undefined) throw new AtParseError(response.command, '"usbcfg" has no hexadecimal VID/PID', response.lines);
    const functions: Record<string, boolean> = {};
    USBCFG_FUNCTIONS.forEach((name, index) => {
      const text = raw.values[index + 2];
      if (text === '0' || text === '1') functions[name] = text === '1';
    });
    return { ...raw, vid: Number(vid), pid: Number(pid), functions };
  });
}

/** Ports URCs can be sent to (fact sheet §3.7). */
export const URC_PORTS = ['usbat', 'usbmodem', 'uart1', 'uart2', 'all'] as const;
export type UrcPort = (typeof URC_PORTS)[number];

/** `AT+QURCCFG="urcport"` → `+QURCCFG: "urcport","usbat"`. */
export function getUrcPort(): AtCommand<string> {
  return command('AT+QURCCFG="urcport"', (response) => {
    for (const line of linesWith(response, '+QURCCFG:')) {
      const params = paramsAfter(line, '+QURCCFG:');
      const port = params[1]?.text;
      if (params[0]?.text.toLowerCase() === 'urcport' && port !== undefined && port !== '') return port;
    }
    throw new AtParseError(response.command, 'no +QURCCFG: "urcport" line in the response', response.lines);
  });
}

/** `AT+QURCCFG="urcport","<port>"`: saved to NV automatically (fact sheet §3.7). */
export function setUrcPort(port: UrcPort): AtCommand<undefined> {
  return command(`AT+QURCCFG="urcport",${quoted(port)}`, noResult, { responsePrefix: [] });
}
