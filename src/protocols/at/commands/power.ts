// Supply voltage, temperatures and the orderly power-down (fact sheet §3.6).

import { AtParseError } from '../errors.js';
import type { AtClient } from '../client.js';
import { POWERED_DOWN_BUDGET_MS } from '../timeouts.js';
import type { Urc } from '../urc.js';
import { command, noResult, type AtCommand } from './command.js';
import { int, linesWith, paramsAfter, requireParams } from './params.js';

export interface BatteryCharge {
  /** <bcs>: charge status. */
  readonly bcs: number;
  /** <bcl>: charge level, percent. */
  readonly bcl: number;
  /** VBAT as the module measures it, in millivolts. */
  readonly voltageMv: number;
}

/** `AT+CBC` → `+CBC: <bcs>,<bcl>,<voltage>` (voltage in mV). */
export function getBatteryCharge(): AtCommand<BatteryCharge> {
  return command('AT+CBC', (response) => {
    const params = requireParams(response, '+CBC:', 3);
    return { bcs: int(params[0], response, '<bcs>'), bcl: int(params[1], response, '<bcl>'), voltageMv: int(params[2], response, '<voltage>') };
  });
}

/** A sensor value of 255 means "sensor not available" (fact sheet §3.6). */
export const QTEMP_NOT_AVAILABLE = 255;
/**
 * The three-integer form is commonly read as PMIC, XO and PA temperature (fact sheet §3.6).
 * UNVERIFIED: AT+QTEMP is not in the V2.0 manual; the names are the community's reading.
 */
export const QTEMP_THREE_SENSOR_NAMES = ['pmic', 'xo', 'pa'] as const;

export interface TemperatureSensor {
  readonly name: string;
  /** °C; undefined when the module reports the sensor as not available (255) or prints no number. */
  readonly celsius: number | undefined;
  readonly raw: string;
}

export interface Temperatures {
  readonly sensors: readonly TemperatureSensor[];
  /** The hottest available sensor, °C. */
  readonly highest: number | undefined;
}

function sensor(name: string, raw: string): TemperatureSensor {
  const value = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : undefined;
  return { name, raw, celsius: value === undefined || value === QTEMP_NOT_AVAILABLE ? undefined : value };
}

/**
 * `AT+QTEMP`: firmware-dependent (fact sheet §3.6, §7.5), parsed leniently. EC2x/EG25 print
 * `+QTEMP: 34,255,255`; newer modules print one `+QTEMP: "<name>","<value>"` line per sensor.
 */
export function getTemperatures(): AtCommand<Temperatures> {
  return command('AT+QTEMP', (response) => {
    const sensors: TemperatureSensor[] = [];
    for (const line of linesWith(response, '+QTEMP:')) {
      const params = paramsAfter(line, '+QTEMP:');
      if (params.length === 2 && params[0]?.quoted === true) {
        sensors.push(sensor(params[0].text, params[1]?.text ?? ''));
        continue;
      }
      params.forEach((value, index) => {
        const names: readonly string[] = params.length === QTEMP_THREE_SENSOR_NAMES.length ? QTEMP_THREE_SENSOR_NAMES : [];
        sensors.push(sensor(names[index] ?? `sensor${index + 1}`, value.text));
      });
    }
    if (sensors.every((entry) => !/^[+-]?\d+$/.test(entry.raw.trim()))) {
      throw new AtParseError(response.command, 'no temperature in the response', response.lines);
    }
    const available = sensors.flatMap((entry) => (entry.celsius === undefined ? [] : [entry.celsius]));
    return { sensors, highest: available.length === 0 ? undefined : Math.max(...available) };
  });
}

/**
 * `AT+QPOWD[=<n>]`: n=1 (the default) detaches from the network first, n=0 powers down at once.
 * OK comes first; the POWERED DOWN URC follows within 60 s. Use powerDown() to wait for it.
 */
export function powerDownCommand(mode?: 0 | 1): AtCommand<undefined> {
  return command(mode === undefined ? 'AT+QPOWD' : `AT+QPOWD=${mode}`, noResult, { responsePrefix: [] });
}

export interface PowerDownOptions {
  readonly mode?: 0 | 1;
  /** How long to wait for POWERED DOWN after sending. Default POWERED_DOWN_BUDGET_MS (65 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Sends AT+QPOWD and resolves with the POWERED DOWN URC. The host should wait about 1 s more
 * before removing VBAT; if this rejects with AT_TIMEOUT, the fact sheet's advice is to cut power
 * anyway (§3.6). With AT+QCFG="fast/poweroff" set, PWRKEY power-offs send no URC (§3.9).
 * On USB the port may vanish right after the URC; a disconnect before it rejects with the
 * transport's error.
 */
export async function powerDown(client: AtClient, options: PowerDownOptions = {}): Promise<Urc> {
  const timeoutMs = options.timeoutMs ?? POWERED_DOWN_BUDGET_MS;
  const stop = new AbortController();
  const signal = options.signal === undefined ? stop.signal : AbortSignal.any([stop.signal, options.signal]);
  // Subscribed before the command goes out: the URC may arrive before OK has been handled.
  const poweredDown = client.waitForUrc((urc) => urc.name === 'powered-down', {
    timeoutMs,
    signal,
    what: 'POWERED DOWN after AT+QPOWD',
    hint: 'The module did not confirm the power-down. Wait a little longer if it is still detaching; otherwise remove VBAT anyway (fact sheet §3.6) and record it as an unconfirmed power-off.',
  });
  poweredDown.catch(() => undefined);
  try {
    await client.run(powerDownCommand(options.mode), options.signal === undefined ? {} : { signal: options.signal });
  } catch (error) {
    stop.abort();
    throw error;
  }
  return poweredDown;
}
