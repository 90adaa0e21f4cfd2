// How long to wait for a command's final result: the manual's maximum response time (fact sheet
// §3.1) plus an allowance for the host side.
//
// The manual's figure is the module's processing time. On top of it come the USB or UART
// round trip (milliseconds), a host that is busy (scheduling, a loaded CPU on a field unit,
// ModemManager probing the same module) and a module that is answering a burst of URCs first.
// A bare 300 ms budget gives false timeouts on a loaded host, and a false timeout costs a resync,
// so the allowance is generous: 1 s plus 10 % of the manual's figure (300 ms → 1.33 s,
// 15 s → 17.5 s, 180 s → 199 s).

/** Maximum response times from the manual (fact sheet §3.1), by command name. */
export const MANUAL_MAX_RESPONSE_MS = {
  default: 300,
  '+CFUN': 15_000,
  '+CPIN': 5_000,
  '+COPS': 180_000,
  // The fact sheet gives 60 s for the POWERED DOWN URC that follows OK (§3.6) and no separate
  // figure for the OK itself; the OK gets the same budget so that a slow OK is never mistaken
  // for a hang (a resync would send AT to a module that is shutting down).
  '+QPOWD': 60_000,
} as const satisfies Readonly<Record<string, number>>;

/** How long after AT+QPOWD's OK to wait for POWERED DOWN: "if no URC within ~65 s, cut power anyway" (§3.6). */
export const POWERED_DOWN_BUDGET_MS = 65_000;

export const HOST_ALLOWANCE_BASE_MS = 1000;
export const HOST_ALLOWANCE_FRACTION = 0.1;

export function withHostAllowance(manualMs: number): number {
  return manualMs + HOST_ALLOWANCE_BASE_MS + Math.ceil(manualMs * HOST_ALLOWANCE_FRACTION);
}

/** The manual's maximum response time for a command line (the sum when `;` joins several). */
export function manualMaxResponseMs(command: string): number {
  const table = MANUAL_MAX_RESPONSE_MS as Readonly<Record<string, number>>;
  const body = command.trim().replace(/^AT/i, '');
  let total = 0;
  for (const part of body.split(';')) {
    const name = /^\s*([+$^][A-Za-z0-9_&]+)/.exec(part)?.[1]?.toUpperCase();
    total += (name === undefined ? undefined : table[name]) ?? MANUAL_MAX_RESPONSE_MS.default;
  }
  return total;
}

/** The timeout the client uses for `command` when the caller gives none. */
export function defaultTimeoutMs(command: string): number {
  return withHostAllowance(manualMaxResponseMs(command));
}
