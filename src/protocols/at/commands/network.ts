// Radio and registration health (fact sheet §3.5; parameter tables from the manual's chapter 6,
// [ATM] references/06-network-service-commands.md). The serving-cell report is in serving-cell.ts.

import { AtParseError } from '../errors.js';
import type { AtResponse } from '../response.js';
import { command, type AtCommand } from './command.js';
import { int, linesWith, optionalText, paramsAfter, requireParams, type Param } from './params.js';

export interface SignalQuality {
  readonly rssi: number;
  readonly ber: number;
  /**
   * Received strength in dBm, undefined when unknown (99, 199) or out of range. 0/31 mean
   * "−113 or less"/"−51 or more" (100/191: −116/−25 for TD-SCDMA RSCP); the bound is returned.
   */
  readonly dbm: number | undefined;
  /** 0..31 is RSSI; 100..191 is the TD-SCDMA RSCP extension. */
  readonly scale: 'rssi' | 'td-scdma-rscp';
  /** Bit error rate class 0..7 (RxQual), undefined for 99 (unknown). */
  readonly berClass: number | undefined;
}

/** Converts a +CSQ <rssi> to dBm (fact sheet §3.5). */
export function csqToDbm(rssi: number): number | undefined {
  if (rssi >= 0 && rssi <= 31) return -113 + 2 * rssi;
  if (rssi >= 100 && rssi <= 191) return rssi - 216;
  return undefined;
}

/** `AT+CSQ` → `+CSQ: <rssi>,<ber>`; `+CSQ: 99,99` = no signal known. */
export function getSignalQuality(): AtCommand<SignalQuality> {
  return command('AT+CSQ', (response) => {
    const params = requireParams(response, '+CSQ:', 2);
    const rssi = int(params[0], response, '<rssi>');
    const ber = int(params[1], response, '<ber>');
    return {
      rssi,
      ber,
      dbm: csqToDbm(rssi),
      scale: rssi >= 100 ? 'td-scdma-rscp' : 'rssi',
      berClass: ber >= 0 && ber <= 7 ? ber : undefined,
    };
  });
}

/** <stat> of +CREG/+CGREG/+CEREG (fact sheet §3.5). */
export const REGISTRATION_STATES = {
  0: 'not-registered',
  1: 'home',
  2: 'searching',
  3: 'denied',
  4: 'unknown',
  5: 'roaming',
} as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[keyof typeof REGISTRATION_STATES];

/** <AcT> of +CREG/+COPS (manual §6.1/§6.2; 7 = E-UTRAN per fact sheet §3.5). */
export const ACCESS_TECHNOLOGIES = {
  0: 'GSM',
  2: 'UTRAN',
  3: 'GSM w/EGPRS',
  4: 'UTRAN w/HSDPA',
  5: 'UTRAN w/HSUPA',
  6: 'UTRAN w/HSDPA and HSUPA',
  7: 'E-UTRAN',
  100: 'CDMA',
} as const;
export type AccessTechnology = (typeof ACCESS_TECHNOLOGIES)[keyof typeof ACCESS_TECHNOLOGIES];

export type RegistrationKind = 'CREG' | 'CGREG' | 'CEREG';

export interface Registration {
  readonly kind: RegistrationKind;
  /** The URC mode (<n>); undefined when parsed from a URC, which does not carry it. */
  readonly n: number | undefined;
  readonly stat: number;
  readonly state: RegistrationState | undefined;
  /** Home or roaming. */
  readonly registered: boolean;
  /** LAC (CREG/CGREG) or TAC (CEREG), hex as printed. */
  readonly areaCode: string | undefined;
  /** Cell id, hex as printed. */
  readonly cellId: string | undefined;
  readonly act: number | undefined;
  readonly accessTechnology: AccessTechnology | undefined;
}

function registration(kind: RegistrationKind, n: number | undefined, rest: readonly Param[], response: AtResponse): Registration {
  const stat = int(rest[0], response, '<stat>');
  const actText = optionalText(rest[3]);
  const act = actText === undefined ? undefined : int(rest[3], response, '<AcT>');
  return {
    kind,
    n,
    stat,
    state: lookup(REGISTRATION_STATES, stat),
    registered: stat === 1 || stat === 5,
    areaCode: optionalText(rest[1]),
    cellId: optionalText(rest[2]),
    act,
    accessTechnology: act === undefined ? undefined : lookup(ACCESS_TECHNOLOGIES, act),
  };
}

/**
 * `AT+CREG?` / `AT+CGREG?` / `AT+CEREG?` → `+CREG: <n>,<stat>[,<lac>,<ci>[,<AcT>]]`. The read
 * form starts with <n>, the URC form with <stat> followed by a quoted LAC, so a registration URC
 * that slipped into the response (urc.ts, the ambiguity) is skipped here.
 */
export function getRegistration(kind: RegistrationKind = 'CREG'): AtCommand<Registration> {
  const prefix = `+${kind}:`;
  return command(`AT+${kind}?`, (response) => {
    for (const line of linesWith(response, prefix)) {
      const params = paramsAfter(line, prefix);
      if (params.length >= 2 && params[1]?.quoted === false) {
        return registration(kind, int(params[0], response, '<n>'), params.slice(1), response);
      }
    }
    throw new AtParseError(response.command, `no ${prefix} <n>,<stat> line in the response`, response.lines);
  });
}

/** Parses the URC form `+CREG: <stat>[,<lac>,<ci>[,<AcT>]]`; undefined for other lines. */
export function parseRegistrationUrc(line: string): Registration | undefined {
  const kind = (['CREG', 'CGREG', 'CEREG'] as const).find((candidate) => line.startsWith(`+${candidate}:`));
  if (kind === undefined) return undefined;
  const params = paramsAfter(line, `+${kind}:`);
  if (params.length >= 2 && params[1]?.quoted === false) return undefined;
  const pseudo: AtResponse = { command: 'URC', lines: [line], final: { kind: 'OK', line: 'OK' } };
  try {
    return registration(kind, undefined, params, pseudo);
  } catch {
    return undefined;
  }
}

/** <mode> of AT+COPS (manual §6.1). */
export const OPERATOR_SELECTION_MODES = {
  0: 'automatic',
  1: 'manual',
  2: 'deregistered',
  3: 'format-only',
  4: 'manual-then-automatic',
} as const;

export interface OperatorSelection {
  readonly mode: number;
  readonly modeName: (typeof OPERATOR_SELECTION_MODES)[keyof typeof OPERATOR_SELECTION_MODES] | undefined;
  /** 0 long alphanumeric, 1 short alphanumeric, 2 numeric; undefined when no operator is selected. */
  readonly format: number | undefined;
  readonly operator: string | undefined;
  readonly act: number | undefined;
  readonly accessTechnology: AccessTechnology | undefined;
}

/** `AT+COPS?` → `+COPS: <mode>[,<format>,<oper>[,<AcT>]]`, e.g. `+COPS: 0,0,"CHN-UNICOM",7`. Up to 180 s. */
export function getOperator(): AtCommand<OperatorSelection> {
  return command('AT+COPS?', (response) => {
    const params = requireParams(response, '+COPS:');
    const mode = int(params[0], response, '<mode>');
    const format = optionalText(params[1]) === undefined ? undefined : int(params[1], response, '<format>');
    const act = optionalText(params[3]) === undefined ? undefined : int(params[3], response, '<AcT>');
    return {
      mode,
      modeName: lookup(OPERATOR_SELECTION_MODES, mode),
      format,
      operator: optionalText(params[2]),
      act,
      accessTechnology: act === undefined ? undefined : lookup(ACCESS_TECHNOLOGIES, act),
    };
  });
}

export interface NetworkInfo {
  /** "FDD LTE", "TDD LTE", "WCDMA", "GSM", … or "NONE" / "No Service". */
  readonly act: string;
  readonly inService: boolean;
  /** Numeric operator (MCC+MNC), quoted or not on the wire. */
  readonly operator: string | undefined;
  readonly band: string | undefined;
  readonly channel: number | undefined;
}

/**
 * `AT+QNWINFO` → `+QNWINFO: <Act>,<oper>,<band>,<channel>`, e.g.
 * `+QNWINFO: "FDD LTE",46011,"LTE BAND 3",1650` (the operator is unquoted in the manual's
 * example, quoted on other firmware). Without service some firmware print a single word
 * ("No Service"); that form is UNVERIFIED and parsed leniently.
 */
export function getNetworkInfo(): AtCommand<NetworkInfo> {
  return command('AT+QNWINFO', (response) => {
    const params = requireParams(response, '+QNWINFO:');
    const act = params[0]?.text ?? '';
    if (act === '') throw new AtParseError(response.command, 'empty <Act>', response.lines);
    const channelText = optionalText(params[3]);
    return {
      act,
      inService: !/^(none|no service)$/i.test(act) && params.length >= 4,
      operator: optionalText(params[1]),
      band: optionalText(params[2]),
      channel: channelText === undefined ? undefined : int(params[3], response, '<channel>'),
    };
  });
}

function lookup<V>(table: Readonly<Record<number, V>>, key: number): V | undefined {
  return table[key];
}
