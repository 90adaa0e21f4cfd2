// Hardware timings, as data, in module milliseconds (clock.ts scales them). Sources are the
// fact sheet sections named; spacing the sheet does not give is marked UNVERIFIED.

export const PWRKEY = {
  /** VBAT must be stable this long before PWRKEY (§8.5, HD V1.4 via LUPY). */
  vbatStableMs: 30,
  /** Held low this long while off: the module starts (§8.5, current HDs; old ones said 100 ms). */
  onMs: 500,
  /** Held low this long while running: the module shuts down (§8.5). */
  offMs: 650,
  /** What a board's auto power-on circuit holds PWRKEY low for (MBED and NuttX drive 600 ms, §8.5). */
  autoPulseMs: 600,
} as const;

export const RESET_N = {
  /** A low pulse in this window resets the module (§4.4, §8.5, HD V1.4 p.42). */
  minMs: 150,
  maxMs: 460,
} as const;

/** From the moment the module starts (PWRKEY accepted, or a reset released). */
export const BOOT = {
  /** STATUS asserted ≥ 2.5 s after power-on (§8.3, §8.5; NuttX observed ~3 s). */
  statusMs: 2600,
  /** USB enumerates before RDY: ~10–13 s in the field (§4.2, §8.5). */
  usbMs: 11000,
  /** `RDY` ≥ 12 s after start (§8.5; MEGI: 13–22 s). */
  rdyMs: 12500,
  /** PBL emergency download enumerates as 05c6:9008: no source gives the delay, UNVERIFIED. */
  edlUsbMs: 1200,
} as const;

/** After RDY, on the URC port (§3.8 order; the spacing is UNVERIFIED). */
export const BOOT_URCS_AFTER_RDY = {
  cfunMs: 150,
  cpinMs: 400,
  smsDoneMs: 1800,
  pbDoneMs: 2600,
} as const;

export const POWER_OFF = {
  /** AT+QPOWD=0 "immediate" power-down: no detach; how immediate is UNVERIFIED. */
  immediateMs: 300,
  /** AT+QCFG="fast/poweroff",1: PWRKEY power-off in ~1 s, no detach, no POWERED DOWN (§3.9, MEGI). */
  fastMs: 1000,
  /** POWERED DOWN → USB gone: UNVERIFIED; the host is told to wait ~1 s before cutting VBAT (§3.6). */
  usbGoneMs: 200,
  /** The module forces its own shutdown if detach takes longer (§8.5, UC15 sibling). */
  maxDetachMs: 60000,
} as const;

export const RESTART = {
  /** OK of AT+CFUN=1,1 → USB drops: UNVERIFIED. */
  softResetMs: 300,
  /** The dropping device keeps its ports this long, so an OK already written gets out. */
  lingerMs: 50,
  /** A brown-out resets the PMIC; the module comes back by itself this long after (UNVERIFIED). */
  brownoutRecoveryMs: 200,
} as const;

/** AT+CFUN takes "a plausible 1–3 s" (manual maximum 15 s, §3.1). */
export const CFUN_MS = { min: 1000, max: 3000 } as const;

/** The uplink burst of an attach / registration (plausible, UNVERIFIED). */
export const ATTACH_BURST_MS = 400;
