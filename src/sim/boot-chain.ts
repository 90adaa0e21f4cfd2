// What the PBL and the stages after it make of the NAND, as data: the partitions each stage loads
// and what the module does when one is erased or corrupt (quectel sheet §4.8, §5.1; edl sheet §2.9).
//
// - sbl unreadable → the PBL finds nothing to boot and stays in emergency download, 05c6:9008
//   (§4.8: "always 9008 with USB_BOOT low = SBL/boot chain corrupted").
// - sbl fine but a later image unreadable → the chain stops part-way: we model it as a boot stage
//   that hangs and restarts before USB comes up — no USB device at all, current wandering
//   55–170 mA (the field report's second case, QFORUM/6665). Which stage fails how on a real
//   MDM9607 is not in the sheets: UNVERIFIED.
export type BootFailure = 'edl' | 'hang';

export const BOOT_CHAIN: readonly { readonly partition: string; readonly onFailure: BootFailure }[] = [
  { partition: 'sbl', onFailure: 'edl' },
  { partition: 'tz', onFailure: 'hang' },
  { partition: 'rpm', onFailure: 'hang' },
  { partition: 'aboot', onFailure: 'hang' },
  { partition: 'boot', onFailure: 'hang' },
  { partition: 'modem', onFailure: 'hang' },
  { partition: 'system', onFailure: 'hang' },
];

/** Where the calibration lives (§2.6, §5.1). */
export const CALIBRATION_PARTITION = 'efs2';

/** Where the firmware revision the module reports comes from: the flashed modem image (NON-HLOS). */
export const REVISION_PARTITION = 'modem';

/** The baseline of a revision, "R05" of EC25AFAR05A04M4G (§2.9). */
export function baselineOf(revision: string): string | undefined {
  return /R\d{2}(?=A\d{2})/.exec(revision)?.[0];
}

/** Current of a boot stage that keeps hanging and restarting: 55–170 mA wandering (QFORUM/6665). */
export const HUNG_CURRENT_MA = { min: 55, max: 170 } as const;
