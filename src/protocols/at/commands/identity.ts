// Who the module is: manufacturer, model, firmware revision, IMEI, SIM identities (fact sheet §3.2).
// Firmware revision grammar (R<nn>A<nn>, baselines) belongs to the modem layer; here the strings
// are returned as the module prints them.

import { AtParseError } from '../errors.js';
import type { AtResponse } from '../response.js';
import { command, noResult, type AtCommand } from './command.js';
import { bareLines, paramsAfter } from './params.js';

/** `AT`: the module's AT interpreter is alive. */
export function probe(): AtCommand<undefined> {
  return command('AT', noResult, { responsePrefix: [] });
}

export interface Identification {
  /** "Quectel" */
  readonly manufacturer: string;
  /** "EC25", "EG25" … */
  readonly model: string;
  /** "EC25EFAR02A09M4G" */
  readonly revision: string;
}

/** `ATI` → `Quectel` / `EC25` / `Revision: EC25EFAR02A09M4G`. */
export function getIdentification(): AtCommand<Identification> {
  return command('ATI', (response) => {
    const lines = bareLines(response);
    const index = lines.findIndex((line) => line.startsWith('Revision:'));
    const manufacturer = lines[index - 2];
    const model = lines[index - 1];
    const revision = lines[index]?.slice('Revision:'.length).trim() ?? '';
    if (index < 2 || manufacturer === undefined || model === undefined || revision === '') {
      throw new AtParseError(response.command, 'expected manufacturer, model and "Revision: …" lines', response.lines);
    }
    return { manufacturer, model, revision };
  }, { responsePrefix: [] });
}

const REVISION = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function revisionLine(response: AtResponse, name: string): string {
  const prefixed = response.lines.find((line) => line.startsWith(`${name}:`));
  const raw = prefixed === undefined ? bareLines(response)[0] : prefixed.slice(name.length + 1);
  const revision = raw?.trim().replace(/^Revision:\s*/, '').replace(/^"(.*)"$/, '$1') ?? '';
  if (!REVISION.test(revision)) throw new AtParseError(response.command, 'no firmware revision in the response', response.lines);
  return revision;
}

/** `AT+GMR` or `AT+CGMR` → the revision alone: `EC25EFAR02A09M4G`. */
export function getRevision(variant: 'GMR' | 'CGMR' = 'GMR'): AtCommand<string> {
  return command(`AT+${variant}`, (response) => revisionLine(response, `+${variant}`));
}

export interface ExtendedRevision {
  /** As printed: `EG25GGBR07A08M2G_30.203.30.203`. */
  readonly full: string;
  /** The part before "_": `EG25GGBR07A08M2G`. */
  readonly main: string;
  /** The part after "_" (modem.minor.ap.minor, fact sheet §2.9), when present. */
  readonly subVersion: string | undefined;
}

/** `AT+QGMR` → the revision with its sub-version suffix. */
export function getExtendedRevision(): AtCommand<ExtendedRevision> {
  return command('AT+QGMR', (response) => {
    const full = revisionLine(response, '+QGMR');
    const separator = full.indexOf('_');
    return separator < 0 ? { full, main: full, subVersion: undefined } : { full, main: full.slice(0, separator), subVersion: full.slice(separator + 1) };
  });
}

export interface Imei {
  /** 15 digits. */
  readonly imei: string;
  /**
   * Whether the check digit is right. A wrong one is a finding, not a parse failure: it points
   * to a corrupted or rewritten IMEI in NV (AT+EGMR, fact sheet §3.9).
   */
  readonly luhnValid: boolean;
}

/** The Luhn check over a string of digits (the IMEI check digit, 3GPP TS 23.003 annex B). */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** `AT+GSN` or `AT+CGSN` → the 15-digit IMEI (some firmware prefix it with +GSN:/+CGSN:). */
export function getImei(variant: 'GSN' | 'CGSN' = 'GSN'): AtCommand<Imei> {
  return command(`AT+${variant}`, (response) => {
    const prefix = `+${variant}:`;
    const prefixed = response.lines.find((line) => line.startsWith(prefix));
    const imei = prefixed === undefined ? bareLines(response).find((line) => /^\d+$/.test(line)) : paramsAfter(prefixed, prefix)[0]?.text;
    if (imei === undefined || !/^\d{15}$/.test(imei)) throw new AtParseError(response.command, 'expected a 15-digit IMEI', response.lines);
    return { imei, luhnValid: luhnValid(imei) };
  });
}

/** `AT+CIMI` → the IMSI (up to 15 digits, 3GPP TS 23.003 §2.2). A missing SIM answers +CME ERROR: 10. */
export function getImsi(): AtCommand<string> {
  return command('AT+CIMI', (response) => {
    const imsi = bareLines(response).find((line) => /^\d+$/.test(line));
    if (imsi === undefined || imsi.length < 6 || imsi.length > 15) throw new AtParseError(response.command, 'expected an IMSI of 6 to 15 digits', response.lines);
    return imsi;
  });
}

/** `AT+QCCID` → `+QCCID: <ICCID>` (18–20 digits; some cards pad with a trailing F). ERROR / CME 10 with no SIM. */
export function getIccid(): AtCommand<string> {
  return command('AT+QCCID', (response) => {
    const line = response.lines.find((candidate) => candidate.startsWith('+QCCID:'));
    const iccid = line === undefined ? undefined : paramsAfter(line, '+QCCID:')[0]?.text.toUpperCase();
    if (iccid === undefined || !/^\d{18,20}F?$/.test(iccid)) throw new AtParseError(response.command, 'expected +QCCID: with an 18–20 digit ICCID', response.lines);
    return iccid;
  });
}
