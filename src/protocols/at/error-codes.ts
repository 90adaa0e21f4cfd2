// What the numbers in `+CME ERROR: <n>` and `+CMS ERROR: <n>` mean. With AT+CMEE=1 (the default
// on these modules, fact sheet §3.1) the module sends only the number, so without this table a
// user sees "+CME ERROR: 10" and has to look it up.
//
// Source: the codes the fact sheet lists in §3.1, completed from the same manual's appendix tables
// "+CME ERROR: <err>" and "+CMS ERROR: <err>" (EC2x/EG2x-G AT Commands Manual V2.0 §15.4/§15.5,
// [ATM] references/15-appendix-references.md). The English wording follows 3GPP TS 27.007 §9.2
// and TS 27.005 §3.2.5, which the manual translates; verbose (AT+CMEE=2) text from a real module
// may differ in wording, so reverse look-ups are forgiving (case and spacing).

export const CME_ERROR_TEXT = {
  0: 'phone failure',
  1: 'no connection to phone',
  2: 'phone-adaptor link reserved',
  3: 'operation not allowed',
  4: 'operation not supported',
  5: 'PH-SIM PIN required',
  6: 'PH-FSIM PIN required',
  7: 'PH-FSIM PUK required',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  12: 'SIM PUK required',
  13: 'SIM failure',
  14: 'SIM busy',
  15: 'SIM wrong',
  16: 'incorrect password',
  17: 'SIM PIN2 required',
  18: 'SIM PUK2 required',
  20: 'memory full',
  21: 'invalid index',
  22: 'not found',
  23: 'memory failure',
  24: 'text string too long',
  25: 'invalid characters in text string',
  26: 'dial string too long',
  27: 'invalid characters in dial string',
  30: 'no network service',
  31: 'network timeout',
  32: 'network not allowed - emergency calls only',
  40: 'network personalization PIN required',
  41: 'network personalization PUK required',
  42: 'network subset personalization PIN required',
  43: 'network subset personalization PUK required',
  44: 'service provider personalization PIN required',
  45: 'service provider personalization PUK required',
  46: 'corporate personalization PIN required',
  47: 'corporate personalization PUK required',
  // Quectel's own audio codes (fact sheet §3.1: "901–904 audio-related").
  901: 'audio unknown error',
  902: 'audio invalid parameters',
  903: 'audio operation not supported',
  904: 'audio device busy',
} as const satisfies Readonly<Record<number, string>>;

export const CMS_ERROR_TEXT = {
  300: 'ME failure',
  301: 'SMS service of ME reserved',
  302: 'operation not allowed',
  303: 'operation not supported',
  304: 'invalid PDU mode parameter',
  305: 'invalid text mode parameter',
  310: 'SIM not inserted',
  311: 'SIM PIN required',
  312: 'PH-SIM PIN required',
  313: 'SIM failure',
  314: 'SIM busy',
  315: 'SIM wrong',
  316: 'SIM PUK required',
  317: 'SIM PIN2 required',
  318: 'SIM PUK2 required',
  320: 'memory failure',
  321: 'invalid memory index',
  322: 'memory full',
  330: 'SMSC address unknown',
  331: 'no network service',
  332: 'network timeout',
  340: 'no +CNMA acknowledgement expected',
  350: 'unknown error',
  500: 'unknown error',
  510: 'message blocked',
} as const satisfies Readonly<Record<number, string>>;

export type CmeErrorCode = keyof typeof CME_ERROR_TEXT;
export type CmsErrorCode = keyof typeof CMS_ERROR_TEXT;

export type ErrorFamily = 'CME' | 'CMS';

const tables: Readonly<Record<ErrorFamily, Readonly<Record<number, string>>>> = { CME: CME_ERROR_TEXT, CMS: CMS_ERROR_TEXT };

function normalise(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, ' ').trim();
}

const reverse: Readonly<Record<ErrorFamily, ReadonlyMap<string, number>>> = {
  CME: reverseOf(CME_ERROR_TEXT),
  CMS: reverseOf(CMS_ERROR_TEXT),
};

function reverseOf(table: Readonly<Record<number, string>>): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  for (const [code, text] of Object.entries(table)) {
    // 350 and 500 share "unknown error": the first (lower) code wins, which is what a reader expects.
    const key = normalise(text);
    if (!map.has(key)) map.set(key, Number(code));
  }
  return map;
}

/** The table text for a numeric code, or undefined when the manual does not list it. */
export function errorMeaning(family: ErrorFamily, code: number): string | undefined {
  return tables[family][code];
}

/** The numeric code for verbose (AT+CMEE=2) text, when the text is one the table knows. */
export function errorCodeForText(family: ErrorFamily, text: string): number | undefined {
  return reverse[family].get(normalise(text));
}
