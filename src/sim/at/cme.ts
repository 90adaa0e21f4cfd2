// +CME ERROR codes and their verbose texts (§3.1 table; AT+CMEE=2 prints the text).
export const CME_TEXT: Readonly<Record<number, string>> = {
  0: 'phone failure',
  3: 'operation not allowed',
  4: 'operation not supported',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  12: 'SIM PUK required',
  13: 'SIM failure',
  14: 'SIM busy',
  15: 'SIM wrong',
  16: 'incorrect password',
  30: 'no network service',
  31: 'network timeout',
};

/** The final result line for a CME error in the form AT+CMEE selects. */
export function cmeLine(code: number, cmee: 0 | 1 | 2): string {
  if (cmee === 0) return 'ERROR';
  if (cmee === 1) return `+CME ERROR: ${code}`;
  return `+CME ERROR: ${CME_TEXT[code] ?? 'unknown'}`;
}
