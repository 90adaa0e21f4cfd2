// Final result codes end a command's response (V.250 §5.7, 3GPP TS 27.007 §9.2, fact sheet §3.1).
// Only verbose result codes (ATV1, the default) are recognised: with ATV0 the module answers
// "0"/"4" instead of OK/ERROR, which no host software expects and this client does not set.

import { errorCodeForText, errorMeaning, type ErrorFamily } from './error-codes.js';

export const FINAL_RESULT_KINDS = ['OK', 'CONNECT', 'ERROR', 'CME_ERROR', 'CMS_ERROR', 'NO_CARRIER', 'BUSY', 'NO_ANSWER', 'NO_DIALTONE'] as const;
export type FinalResultKind = (typeof FINAL_RESULT_KINDS)[number];

export interface FinalResult {
  readonly kind: FinalResultKind;
  /** The line as the module sent it. */
  readonly line: string;
  /** CME/CMS: the numeric code, as sent (AT+CMEE=1) or looked up from verbose text (AT+CMEE=2). */
  readonly code?: number;
  /** CME/CMS verbose text as sent (AT+CMEE=2); CONNECT's text (e.g. a baud rate). */
  readonly text?: string;
  /** CME/CMS: what the code means, from the manual's table (error-codes.ts). */
  readonly meaning?: string;
}

/** Lines that are a whole final result code by themselves. */
const PLAIN = {
  OK: 'OK',
  ERROR: 'ERROR',
  'NO CARRIER': 'NO_CARRIER',
  BUSY: 'BUSY',
  'NO ANSWER': 'NO_ANSWER',
  'NO DIALTONE': 'NO_DIALTONE',
  CONNECT: 'CONNECT',
} as const satisfies Readonly<Record<string, FinalResultKind>>;

const EXTENDED = [
  { prefix: '+CME ERROR:', kind: 'CME_ERROR', family: 'CME' },
  { prefix: '+CMS ERROR:', kind: 'CMS_ERROR', family: 'CMS' },
] as const satisfies readonly { prefix: string; kind: FinalResultKind; family: ErrorFamily }[];

/** The final result code `line` stands for, or undefined when it is not one. */
export function parseFinalResult(line: string): FinalResult | undefined {
  const plain = (PLAIN as Readonly<Record<string, FinalResultKind>>)[line];
  if (plain !== undefined) return { kind: plain, line };
  if (line.startsWith('CONNECT ')) {
    const text = line.slice('CONNECT '.length).trim();
    return text === '' ? { kind: 'CONNECT', line } : { kind: 'CONNECT', line, text };
  }
  for (const { prefix, kind, family } of EXTENDED) {
    if (!line.startsWith(prefix)) continue;
    const rest = unquote(line.slice(prefix.length).trim());
    if (/^\d+$/.test(rest)) {
      const code = Number(rest);
      const meaning = errorMeaning(family, code);
      return meaning === undefined ? { kind, line, code } : { kind, line, code, meaning };
    }
    if (rest === '') return { kind, line };
    const code = errorCodeForText(family, rest);
    return code === undefined ? { kind, line, text: rest } : { kind, line, code, text: rest, meaning: errorMeaning(family, code) ?? rest };
  }
  return undefined;
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

/** OK, and CONNECT (the call or data mode was established), are the successful finals. */
export function isSuccess(final: FinalResult): boolean {
  return final.kind === 'OK' || final.kind === 'CONNECT';
}

/** A short human description: "+CME ERROR: 10 (SIM not inserted)". */
export function describeFinal(final: FinalResult): string {
  if (final.meaning !== undefined && final.text === undefined) return `${final.line} (${final.meaning})`;
  return final.line;
}
