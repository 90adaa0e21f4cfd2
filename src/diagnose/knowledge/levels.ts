// Thresholds the rules use, each with where it comes from. Most hardware figures are medium or
// low confidence in quectel-ec25.md (§8): the ones marked UNVERIFIED need the EC25 HD V2.4.
export const levels = {
  /** Below this at the supply the module is unpowered (the simulator's presence level, and far under 3.3 V). */
  vbatPresentV: 2.5,
  /** VBAT 3.3 V min / 3.8 V typ / 4.3 V max, dips included (§8.1, medium confidence, UNVERIFIED for EC25). */
  vbatMinV: 3.3,
  vbatMaxV: 4.3,
  /** UC15's under-voltage warning level, used as an early warning only (§8.1, sibling). */
  vbatWarnV: 3.5,
  /** VDD_EXT 1.8 V when started, ~0 V (2 mV in QFORUM/3086) when not (§8.7). */
  vddExtStartedV: 1.5,
  vddExtAbsentV: 0.5,
  /**
   * Supply path resistance: a ~2 A GSM burst may pull VBAT down by at most 400 mV (§8.1, UC15 table,
   * UNVERIFIED for EC25), so 0.2 Ω is the most the path may have; above 0.5 Ω even LTE-only
   * variants (~0.65 A peaks, inference in §8.1) dip past the limit.
   */
  sourceOhmsLimit: 0.2,
  sourceOhmsBad: 0.5,
  /** A good bench path: a few tens of mΩ. */
  sourceOhmsGood: 0.1,
  /** Stuck in 9008: ≈ 42 mA at 3.8 V, one bench measurement (QFORUM/6665, §8.2). */
  edlCurrentMa: [25, 70] as const,
  /** Faulty, no COM port: 55–170 mA wandering (QFORUM/6665, §8.2, low confidence). */
  hungCurrentMa: [40, 220] as const,
  hungSpreadMa: 40,
  /**
   * PWRKEY must be pulled near 0 V to start the module. The input threshold is not in our sheets
   * (UNVERIFIED); 0.5 V is an ordinary 1.8 V-domain VIL margin. QFORUM/3086 saw 0.8 V on a unit
   * that never started.
   */
  pwrkeyLowMaxV: 0.5,
  pwrkeyLowGoodV: 0.35,
  /** Released PWRKEY sits at the module's internal pull-up; well under 1 V means something holds it (UNVERIFIED level). */
  pwrkeyReleasedMinV: 1.0,
  /** PWRKEY low ≥ 500 ms to power on (HD V1.4 p.41, §4.2, §8.5; older HDs said 100 ms — DISAGREE). */
  pwrkeyPulseMinMs: 500,
} as const;
