// Supply, current draw and pin voltages. Almost every current figure is a GAP in the fact sheet
// (§4.9, §8.2: no EC25 current table was found); those are plausible values marked UNVERIFIED.

export const VBAT = {
  /** 3.3 V min / 3.8 V typ / 4.3 V max, dips included (§8.1, medium confidence). */
  minV: 3.3,
  typV: 3.8,
  maxV: 4.3,
  /**
   * Under-voltage at the pins that resets the module. UC15 (sibling) shuts down below 3.2 V
   * (§8.1); the EC25 figure is UNVERIFIED.
   */
  brownoutV: 3.2,
  /** Below this at the supply the module is simply unpowered (a cut). */
  presentV: 2.5,
} as const;

/** VDD_EXT: 1.8 V while running and in EDL (§8.7). */
export const VDD_EXT_V = 1.8;

export const CURRENT_MA = {
  /** ~10 µA is what Quectel LGA modules usually specify: UNVERIFIED (§8.2). */
  off: 0.01,
  /** Held in reset: UNVERIFIED. */
  reset: 15,
  /** Booting: UNVERIFIED. */
  booting: 150,
  /** Stuck in QDLoader 9008: ≈ 42 mA at 3.8 V, one bench measurement (QFORUM/6665, §8.2). */
  edl: 42,
  /** Detaching before POWERED DOWN: UNVERIFIED. */
  shuttingDown: 90,
  /** AT+CFUN=0 / =4 / FTM: UNVERIFIED. */
  minimum: 30,
  airplane: 35,
  ftm: 40,
  /** Searching for a network: UNVERIFIED. */
  searching: 110,
  /** Idle, registered, USB active: UNVERIFIED; the UC15 Mini PCIe sibling gives 80 mA (§8.2). */
  idle: 60,
  // Transmit bursts: models.ts txPeakMa.
} as const;

/** VBAT at the module's pins: the supply minus the drop across its source resistance. */
export function vbatUnderLoad(supplyVolts: number, sourceOhms: number, currentMa: number): number {
  return Math.max(0, supplyVolts - (sourceOhms * currentMa) / 1000);
}
