// Reading information lines: pick the line by its prefix (ignoring anything unrelated that ended
// up in the response), split its parameters, and turn them into numbers, failing with an
// AtParseError that shows the raw response.

import { AtParseError } from '../errors.js';
import type { AtResponse } from '../response.js';

export interface Param {
  /** The value without its quotes. */
  readonly text: string;
  readonly quoted: boolean;
}

/** Splits `a,"b,c",-` into parameters; commas inside quotes stay, spaces around values go. */
export function splitParams(text: string): Param[] {
  const params: Param[] = [];
  let current = '';
  let quoted = false;
  let inQuotes = false;
  for (const char of text) {
    if (inQuotes) {
      if (char === '"') inQuotes = false;
      else current += char;
      continue;
    }
    if (char === '"') {
      inQuotes = true;
      quoted = true;
      current = current.trim();
      continue;
    }
    if (char === ',') {
      params.push({ text: quoted ? current : current.trim(), quoted });
      current = '';
      quoted = false;
      continue;
    }
    if (quoted) continue; // text after a closing quote, before the comma: ignore
    current += char;
  }
  params.push({ text: quoted ? current : current.trim(), quoted });
  return params;
}

/** The parameters after `prefix` (`+CSQ:`) on `line`. */
export function paramsAfter(line: string, prefix: string): Param[] {
  return splitParams(line.slice(prefix.length).trim());
}

/** The information lines that start with `prefix`. */
export function linesWith(response: AtResponse, prefix: string): string[] {
  return response.lines.filter((line) => line.startsWith(prefix));
}

/** The first line that starts with `prefix`; AtParseError when there is none. */
export function requireLine(response: AtResponse, prefix: string): string {
  const line = response.lines.find((candidate) => candidate.startsWith(prefix));
  if (line === undefined) throw new AtParseError(response.command, `no ${prefix} line in the response`, response.lines);
  return line;
}

/** The parameters of the first `prefix` line, at least `min` of them. */
export function requireParams(response: AtResponse, prefix: string, min = 1): Param[] {
  const line = requireLine(response, prefix);
  const params = paramsAfter(line, prefix);
  if (params.length < min) {
    throw new AtParseError(response.command, `expected at least ${min} parameter(s) after ${prefix}`, line);
  }
  return params;
}

/** A decimal integer; AtParseError otherwise. */
export function int(value: Param | undefined, response: AtResponse, what: string): number {
  const text = value?.text ?? '';
  if (!/^[+-]?\d+$/.test(text)) throw new AtParseError(response.command, `${what} is not an integer (${JSON.stringify(text)})`, response.lines);
  return Number(text);
}

/** A decimal integer, or undefined for the "-" / empty that QENG and friends print for unavailable values. */
export function optionalInt(value: Param | undefined, response: AtResponse, what: string): number | undefined {
  const text = value?.text ?? '';
  if (text === '' || text === '-') return undefined;
  return int(value, response, what);
}

/** A text parameter, undefined for "-" / empty. */
export function optionalText(value: Param | undefined): string | undefined {
  const text = value?.text;
  return text === undefined || text === '' || text === '-' ? undefined : text;
}

/** A hexadecimal number with or without 0x (QCFG band masks); bigint because LTE masks exceed 2^53. */
export function hexBigInt(text: string): bigint | undefined {
  const digits = text.trim().replace(/^0x/i, '');
  return /^[0-9a-f]+$/i.test(digits) ? BigInt(`0x${digits}`) : undefined;
}

/** The lines without a `+XXX:` prefix: the answers of AT+CGSN, AT+CIMI, AT+GMR, ATI. */
export function bareLines(response: AtResponse): string[] {
  return response.lines.filter((line) => !/^[+$^][A-Za-z0-9_]+:/.test(line));
}
