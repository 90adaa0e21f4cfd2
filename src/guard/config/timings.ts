// Every timing of the power sequences, as data: the default, the window the datasheet and the
// field implementations allow (quectel-ec25.md §4.2–§4.4, §5.3, §5.4), and where it comes from.
// A value outside its window is refused unless the key is listed in `timings.out_of_spec`: a
// board may need it (eg25-manager holds PWRKEY 1 s), but it is a decision, not a typo.
//
// All values are in datasheet milliseconds. The guard waits `value × time_scale` real ms
// (config.ts), so one table serves the real module (scale 1) and the simulator (e.g. 0.01).

export interface TimingSpec {
  readonly defaultMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly source: string;
}

export const TIMINGS = {
  vbat_settle_ms: {
    defaultMs: 100,
    minMs: 30,
    maxMs: 10_000,
    source: '§4.2: VBAT stable ≥ 30 ms before PWRKEY (ATMARK, HD V1.4); eg25-manager waits 100 ms because a worn battery crashes the boot (§4.1)',
  },
  pwrkey_on_ms: {
    defaultMs: 500,
    minMs: 500,
    maxMs: 2000,
    source: '§4.2: PWRKEY low ≥ 500 ms to power on (HD V1.4 p.41, ATMARK); older HDs allowed ~100 ms (DISAGREE)',
  },
  status_on_min_ms: {
    defaultMs: 2500,
    minMs: 0,
    maxMs: 10_000,
    source: '§4.2: STATUS asserts ≥ 2.5 s after PWRKEY (ATMARK minimum); earlier means the line reads something else',
  },
  status_on_timeout_ms: {
    defaultMs: 10_000,
    minMs: 2500,
    maxMs: 60_000,
    source: '§4.2: ATMARK and MEGI give up after 10 s without STATUS',
  },
  rdy_timeout_ms: {
    defaultMs: 30_000,
    minMs: 12_000,
    maxMs: 180_000,
    source: '§4.2: RDY ≥ 12 s after start, MEGI saw 13–22 s; "if no RDY, power off and restart" (QFORUM/8081)',
  },
  qpowd_timeout_ms: {
    defaultMs: 65_000,
    minMs: 5000,
    maxMs: 180_000,
    source: '§3.6/§4.3: POWERED DOWN within 60 s of AT+QPOWD=1 (ModemManager waits 62 s)',
  },
  powered_down_to_vbat_off_ms: {
    defaultMs: 1000,
    minMs: 1000,
    maxMs: 30_000,
    source: '§4.3: after POWERED DOWN wait ~1 s more, then remove VBAT (ATM)',
  },
  status_off_timeout_ms: {
    defaultMs: 30_000,
    minMs: 1000,
    maxMs: 180_000,
    source: '§4.3: STATUS is released with POWERED DOWN; eg25-manager polls it up to 30 s',
  },
  pwrkey_off_ms: {
    defaultMs: 650,
    minMs: 650,
    maxMs: 2000,
    source: '§4.3: PWRKEY low ≥ 650 ms starts the shutdown (MEGI, ATMARK; megi drives 800 ms)',
  },
  pwrkey_off_status_timeout_ms: {
    defaultMs: 30_000,
    minMs: 29_500,
    maxMs: 180_000,
    source: '§4.3: detach takes up to ~30 s; ATMARK waits ≥ 29.5 s (timeout 177 s); Zephyr\'s 5 s is too short (DISAGREE)',
  },
  reset_pulse_ms: {
    defaultMs: 300,
    minMs: 150,
    maxMs: 460,
    source: '§4.4: RESET_N low 150–460 ms (HD V1.4 p.42); Zephyr\'s 500 ms is outside the window (DISAGREE)',
  },
  reset_hold_ms: {
    defaultMs: 500,
    minMs: 150,
    maxMs: 10_000,
    source: '§4.4/§5.3: last resort before a cut — hold RESET_N so the firmware stops writing (eg25-manager keeps RESET asserted after shutdown)',
  },
  vbat_off_hold_ms: {
    defaultMs: 2000,
    minMs: 500,
    maxMs: 60_000,
    source: 'how long VBAT stays off in a VBAT cycle: no datasheet figure (GAP §4.1); long enough for the bulk capacitors to drain',
  },
} as const satisfies Readonly<Record<string, TimingSpec>>;

export type TimingName = keyof typeof TIMINGS;
export const timingNames = Object.keys(TIMINGS) as TimingName[];

/** Datasheet milliseconds per timing, after the file's values and defaults. */
export type TimingTable = Readonly<Record<TimingName, number>>;

export function defaultTimings(): TimingTable {
  return Object.fromEntries(timingNames.map((name) => [name, TIMINGS[name].defaultMs])) as Record<TimingName, number>;
}
