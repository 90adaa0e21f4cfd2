// NET_STATUS (pin 6) blink patterns by network state (§4.6, §8.4). The table comes from the UC15
// HD, a BG96 board doc and a Forlinx EC20 table (same Quectel template); the EC25 HD table itself
// is UNVERIFIED. These are LGA pin levels; Mini PCIe cards invert them (LED_WWAN#, §8.4).

/** A blink (high ms, then low ms, repeating) or a steady level (both 0). */
interface Pattern {
  readonly highMs: number;
  readonly lowMs: number;
  readonly steady?: 'high' | 'low';
}

export const NET_STATUS_PATTERNS = {
  /** Steady low: off, not started, sleeping, or radio off. */
  off: { highMs: 0, lowMs: 0, steady: 'low' },
  searching: { highMs: 200, lowMs: 1800 },
  /** Idle, registered. */
  registered: { highMs: 1800, lowMs: 200 },
  data: { highMs: 125, lowMs: 125 },
  /** Voice call; also AT+QCFG="ledmode",3 while not registered (EG25-G R07A08_30.007, §8.4). */
  'steady-high': { highMs: 0, lowMs: 0, steady: 'high' },
} as const satisfies Record<string, Pattern>;

export type NetStatusPattern = keyof typeof NET_STATUS_PATTERNS;

/** The pin level `elapsedMs` (module ms) after the pattern started. */
export function netStatusLevel(pattern: NetStatusPattern, elapsedMs: number): 'high' | 'low' {
  const spec: Pattern = NET_STATUS_PATTERNS[pattern];
  if (spec.steady !== undefined) return spec.steady;
  return elapsedMs % (spec.highMs + spec.lowMs) < spec.highMs ? 'high' : 'low';
}
