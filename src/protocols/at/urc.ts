// Unsolicited result codes (URCs) and the rule that decides, line by line, whether a line belongs
// to the command in flight or to URC subscribers.
//
// The rule:
//   - No command in flight: every line goes to URC subscribers, known or not (nothing is lost).
//   - A command in flight:
//       1. `RDY` is never part of a response: it means the module (re)booted (fact sheet §3.8;
//          ModemManager treats it the same way). It goes to subscribers and fails the command.
//       2. A final result code (result-codes.ts) ends the response.
//       3. A line that starts with the command's expected response prefix belongs to the
//          response (`AT+CFUN?` → `+CFUN:`, derived by responsePrefixes() or given explicitly).
//       4. Any other line that the catalogue below knows goes to URC subscribers, never into the
//          response.
//       5. Anything else (the IMEI of AT+CGSN, the lines of ATI, …) belongs to the response.
//
// Ambiguity, by construction of the protocol: a URC that shares the in-flight command's prefix
// is indistinguishable from the response. `+CFUN: 1` arriving during `AT+CFUN?` (the boot URC of
// §3.8 racing an early query), or `+CPIN: READY` during `AT+CPIN?`, end up in the response. For
// the `+CREG`/`+CGREG`/`+CEREG` family the shapes differ (the read form starts with <n>, the URC
// form with <stat>, fact sheet §3.5), and the registration parser picks the read-form line; other
// commands answer with the current state anyway, so the misrouted URC carries the same value.
// Typed commands that expect no information line (`AT+CFUN=1`) declare an empty prefix list, so
// that a `+CFUN:` URC during them is routed correctly.

import { parseFinalResult, type FinalResult } from './result-codes.js';

export interface UrcEntry {
  /** A stable name subscribers can switch on. */
  readonly name: string;
  /** `exact`: the whole line; `prefix`: the start of the line. */
  readonly match: 'exact' | 'prefix';
  readonly pattern: string;
  /** Where the line is documented. */
  readonly source: string;
  /** Documented for sibling modules, not for EC2x/EG2x-G (fact sheet marks it UNVERIFIED / GAP). */
  readonly unverified?: boolean;
  /**
   * How many lines after this one belong to the same URC (the PDU or text of an SMS that is
   * delivered directly). Those lines carry no prefix and could be anything, even "OK".
   */
  readonly dataLines?: (line: string) => number;
}

const one = (): number => 1;
/** +CDS: in PDU mode is `+CDS: <length>` followed by the PDU; in text mode it is one line. */
const cdsDataLines = (line: string): number => (/^\+CDS:\s*\d+\s*$/.test(line) ? 1 : 0);

/**
 * Known URCs of the EC2x/EG2x-G family: the manual's URC summary (V2.0 §15.6, [ATM]), the boot and
 * power URCs of fact sheet §3.8, the indications of §3.7 and the ones ModemManager handles (§1.4).
 */
export const URC_CATALOGUE = [
  { name: 'ready', match: 'exact', pattern: 'RDY', source: 'fact sheet §3.8; manual §15.6' },
  { name: 'functionality', match: 'prefix', pattern: '+CFUN:', source: 'fact sheet §3.8; manual §15.6' },
  { name: 'pin', match: 'prefix', pattern: '+CPIN:', source: 'fact sheet §3.8; manual §15.6' },
  { name: 'indication', match: 'prefix', pattern: '+QIND:', source: 'fact sheet §3.7/§3.8 (AT+QINDCFG)' },
  { name: 'usim', match: 'prefix', pattern: '+QUSIM:', source: 'fact sheet §3.4/§3.8 (some firmware)' },
  { name: 'usim-type', match: 'prefix', pattern: '+USIM:', source: 'manual §15.6' },
  { name: 'powered-down', match: 'exact', pattern: 'POWERED DOWN', source: 'fact sheet §3.6/§3.8' },
  { name: 'registration', match: 'prefix', pattern: '+CREG:', source: 'fact sheet §3.5; manual §15.6 (AT+CREG=1|2)' },
  { name: 'gprs-registration', match: 'prefix', pattern: '+CGREG:', source: 'fact sheet §3.5; manual §15.6 (AT+CGREG=1|2)' },
  { name: 'eps-registration', match: 'prefix', pattern: '+CEREG:', source: 'fact sheet §3.5 (AT+CEREG=1|2)' },
  { name: 'ring', match: 'exact', pattern: 'RING', source: 'V.250 §6.3; manual §15.6 (+CRING replaces it with AT+CRC=1)' },
  { name: 'cellular-ring', match: 'prefix', pattern: '+CRING:', source: 'manual §15.6' },
  // During a dial command NO CARRIER is that command's final result; routeLine checks finals
  // first, so this entry only names it when it arrives with no command in flight (a call ended).
  { name: 'no-carrier', match: 'exact', pattern: 'NO CARRIER', source: 'V.250 §5.7' },
  { name: 'caller-id', match: 'prefix', pattern: '+CLIP:', source: 'manual §15.6' },
  { name: 'call-waiting', match: 'prefix', pattern: '+CCWA:', source: 'manual §15.6' },
  { name: 'connected-line', match: 'prefix', pattern: '+COLP:', source: 'manual §15.6' },
  { name: 'supplementary-intermediate', match: 'prefix', pattern: '+CSSI:', source: 'manual §15.6' },
  { name: 'supplementary-unsolicited', match: 'prefix', pattern: '+CSSU:', source: 'manual §15.6' },
  { name: 'ussd', match: 'prefix', pattern: '+CUSD:', source: 'manual §15.6' },
  { name: 'sms-stored', match: 'prefix', pattern: '+CMTI:', source: 'manual §15.6' },
  { name: 'sms', match: 'prefix', pattern: '+CMT:', source: 'manual §15.6 (header then PDU/text line)', dataLines: one },
  { name: 'broadcast', match: 'prefix', pattern: '+CBM:', source: 'manual §15.6 (header then PDU/text line)', dataLines: one },
  { name: 'status-report', match: 'prefix', pattern: '+CDS:', source: 'manual §15.6 (PDU mode: header then PDU)', dataLines: cdsDataLines },
  { name: 'status-report-stored', match: 'prefix', pattern: '+CDSI:', source: 'manual §15.6' },
  { name: 'time-zone', match: 'prefix', pattern: '+CTZV:', source: 'manual §6.7/§15.6' },
  { name: 'time-zone-extended', match: 'prefix', pattern: '+CTZE:', source: 'manual §6.7/§15.6' },
  { name: 'packet-event', match: 'prefix', pattern: '+CGEV:', source: 'manual §15.6 (AT+CGEREP=2,1)' },
  { name: 'socket', match: 'prefix', pattern: '+QIURC:', source: 'Quectel TCP/IP application note' },
  { name: 'gnss', match: 'prefix', pattern: '+QGPSURC:', source: 'fact sheet §1.4 (ModemManager ignores it)' },
  { name: 'lwm2m', match: 'prefix', pattern: '+QLWURC:', source: 'fact sheet §1.4 (ModemManager ignores it)' },
  { name: 'sim-toolkit', match: 'prefix', pattern: '+QSTK', source: 'Quectel STK URCs (+QSTK: …)' },
  // GSM-module power URCs (M10/M95/MC60 class). Fact sheet §3.8 and §7.4: NOT in the EC2x/EG2x-G
  // URC list — UNVERIFIED for EC25. Kept so that such a line never lands inside a response;
  // nothing in the toolkit may depend on them (use AT+CBC polling instead).
  { name: 'normal-power-down', match: 'exact', pattern: 'NORMAL POWER DOWN', source: 'GSM modules; fact sheet §3.8', unverified: true },
  { name: 'under-voltage-warning', match: 'exact', pattern: 'UNDER_VOLTAGE WARNING', source: 'GSM modules; fact sheet §3.8', unverified: true },
  { name: 'under-voltage-power-down', match: 'exact', pattern: 'UNDER_VOLTAGE POWER DOWN', source: 'GSM modules; fact sheet §3.8', unverified: true },
  { name: 'over-voltage-warning', match: 'exact', pattern: 'OVER_VOLTAGE WARNING', source: 'GSM modules; fact sheet §3.8', unverified: true },
  { name: 'over-voltage-power-down', match: 'exact', pattern: 'OVER_VOLTAGE POWER DOWN', source: 'GSM modules; fact sheet §3.8', unverified: true },
] as const satisfies readonly UrcEntry[];

export type UrcName = (typeof URC_CATALOGUE)[number]['name'];

/** The catalogue without the entries the fact sheet marks UNVERIFIED for EC25. */
export const URC_CATALOGUE_VERIFIED: readonly UrcEntry[] = URC_CATALOGUE.filter((entry: UrcEntry) => entry.unverified !== true);

/** What URC subscribers receive. */
export interface Urc {
  /** The line as received. */
  readonly line: string;
  /** The catalogue name; undefined for a line no entry knows (delivered because no command was in flight). */
  readonly name: string | undefined;
  /** The line(s) that followed a two-line URC such as +CMT (entry.dataLines). */
  readonly data?: readonly string[];
}

export function matchUrc(line: string, catalogue: readonly UrcEntry[] = URC_CATALOGUE): UrcEntry | undefined {
  return catalogue.find((entry) => (entry.match === 'exact' ? line === entry.pattern : line.startsWith(entry.pattern)));
}

/**
 * The information-line prefixes a command's response may carry: `+NAME:` for each extended
 * command in the line (`AT+CSQ;+CREG?` → `+CSQ:`, `+CREG:`). Basic commands (ATI, ATE0, AT&F)
 * have none: their lines carry no prefix and are caught by rule 5.
 */
export function responsePrefixes(command: string): string[] {
  const body = command.trim().replace(/^AT/i, '');
  const prefixes: string[] = [];
  for (const part of body.split(';')) {
    const name = /^\s*([+$^][A-Za-z0-9_&]+)/.exec(part)?.[1];
    if (name !== undefined) prefixes.push(`${name.toUpperCase()}:`);
  }
  return prefixes;
}

export type LineRoute =
  | { readonly kind: 'final'; readonly final: FinalResult }
  | { readonly kind: 'response' }
  | { readonly kind: 'urc'; readonly entry: UrcEntry | undefined };

export interface InFlight {
  readonly prefixes: readonly string[];
}

/** Applies the rule at the top of this file to one line. */
export function routeLine(line: string, inFlight: InFlight | undefined, catalogue: readonly UrcEntry[] = URC_CATALOGUE): LineRoute {
  const entry = matchUrc(line, catalogue);
  if (inFlight === undefined) return { kind: 'urc', entry };
  if (line === 'RDY') return { kind: 'urc', entry };
  const final = parseFinalResult(line);
  if (final !== undefined) return { kind: 'final', final };
  if (inFlight.prefixes.some((prefix) => line.startsWith(prefix))) return { kind: 'response' };
  if (entry !== undefined) return { kind: 'urc', entry };
  return { kind: 'response' };
}
