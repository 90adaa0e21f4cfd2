// The risk factors of a unit and how much each weighs, as data (CONTRIBUTING.md: configuration is
// data). Every weight is a judgement from the fact sheets, not a measured coefficient: the fleet's
// own failure-rate table (fleet-analysis.ts) is what tells whether a factor really predicts a
// reflash, and the weights should follow it once a fleet has the numbers.

export const riskFactorIds = ['power-loss', 'vbat-dip', 'cfun-toggle', 'nv-write', 'unexpected-reboot', 'edl'] as const;
export type RiskFactorId = (typeof riskFactorIds)[number];

export interface RiskFactor {
  readonly id: RiskFactorId;
  readonly label: string;
  /** Unit of `rate`: events per 30 days or per day, over the days the unit was observed. */
  readonly per: 'month' | 'day';
  /** Points at or above `saturation`; below it, in proportion. All weights add up to 100. */
  readonly weight: number;
  readonly saturation: number;
  /** Where the fleet table splits units into "≥ threshold" and "below". */
  readonly threshold: number;
  /** False where the factor is part of the failure definition, so a correlation would be circular. */
  readonly correlate: boolean;
  readonly why: string;
}

export const riskFactors: readonly RiskFactor[] = [
  {
    id: 'power-loss',
    label: 'ungraceful power losses',
    per: 'month',
    // The heaviest: VBAT removed before POWERED DOWN risks EFS/NV damage (quectel-ec25.md §5.1,
    // §8.8: the common thread of the reported 9008 cases; analogues from u-blox and SIMCom).
    weight: 30,
    saturation: 10,
    threshold: 5,
    correlate: true,
    why: 'VBAT cut before POWERED DOWN can corrupt EFS/NV (quectel-ec25.md §5.1, §8.8)',
  },
  {
    id: 'vbat-dip',
    label: 'VBAT dips (brown-outs)',
    per: 'month',
    // Below ~3.3 V the module browns out (quectel-ec25.md §8.1, medium confidence): an unplanned
    // reset in the middle of whatever it was writing.
    weight: 15,
    saturation: 20,
    threshold: 5,
    correlate: true,
    why: 'below ~3.3 V the module browns out mid-operation (quectel-ec25.md §8.1)',
  },
  {
    id: 'cfun-toggle',
    label: 'CFUN toggles',
    per: 'day',
    // Each 0↔1 toggle writes NV; the only numeric guidance is EC200U's ~30 power/CFUN operations a
    // day (quectel-ec25.md §5.1, §8.8: GAP for EC25, indicative only), so saturate there.
    weight: 20,
    saturation: 30,
    threshold: 10,
    correlate: true,
    why: 'each CFUN 0↔1 writes NV; ~30/day is the only vendor figure (EC200U, GAP for EC25: quectel-ec25.md §8.8)',
  },
  {
    id: 'nv-write',
    label: 'NV writes',
    per: 'day',
    // Quectel fixed EG25-G bugs from frequent EFS writes (quectel-ec25.md §8.8); eg25-manager writes
    // QCFG only when it differs. No endurance number is public (GAP).
    weight: 15,
    saturation: 20,
    threshold: 5,
    correlate: true,
    why: 'frequent EFS writes wear NV and hit firmware bugs (quectel-ec25.md §8.8; no public limit: GAP)',
  },
  {
    id: 'unexpected-reboot',
    label: 'unexpected reboots',
    per: 'month',
    // RDY nobody asked for: a crash, watchdog or brown-out (Memfault's unexpected range, ecosystem-aesthetics.md §1.1).
    weight: 10,
    saturation: 10,
    threshold: 3,
    correlate: true,
    why: 'RDY nobody asked for: crash, watchdog or brown-out (ecosystem-aesthetics.md §1.1)',
  },
  {
    id: 'edl',
    label: 'times found in EDL',
    per: 'month',
    // Found in 9008 is the failure itself (the unit needs or needed a reflash), so it weighs in the
    // score but is left out of the correlations. The events carry no duration, so this counts
    // occurrences, not time spent in EDL (GAP: the guard does not report how long).
    weight: 10,
    saturation: 1,
    threshold: 1,
    correlate: false,
    why: 'module-in-edl events and recovered-from-edl boots: the unit already needed a reflash',
  },
];
