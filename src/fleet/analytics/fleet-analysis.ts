import { riskFactors, type RiskFactorId } from './risk-factors.js';
import type { UnitAssessment } from './unit-assessment.js';

// Failure rates with the counts behind them, so nobody is fooled by a 1-of-2: every rate comes with
// n units and n failed, and a comparison on too few units says so.

export interface GroupRate {
  readonly units: number;
  readonly failed: number;
  /** failed / units; null with no units. */
  readonly rate: number | null;
}

/** Fewer than this many units on either side (or failures in all) and the evidence is weak. */
export const MIN_GROUP_UNITS = 10;
export const MIN_FAILURES = 5;

export type Evidence = 'none' | 'weak' | 'fair';

export interface FactorCorrelation {
  readonly factor: RiskFactorId;
  readonly label: string;
  readonly threshold: number;
  readonly per: 'month' | 'day';
  readonly atOrAbove: GroupRate;
  readonly below: GroupRate;
  /** atOrAbove.rate / below.rate; null when below has no failures or a side has no units. */
  readonly ratio: number | null;
  readonly evidence: Evidence;
  /** "units with ≥ 5 ungraceful power losses a month failed 6.0× as often (6 of 10 vs 3 of 30)". */
  readonly finding: string;
}

export interface GroupFailureRate extends GroupRate {
  readonly group: string;
  /** rate / the rate of the rest of the fleet; null when the rest has no failures. */
  readonly ratioToRest: number | null;
  readonly evidence: Evidence;
}

export interface FleetAnalysis {
  readonly units: number;
  readonly failed: number;
  readonly fleetRate: number | null;
  readonly needsReflash: number;
  readonly silent: number;
  readonly byFactor: readonly FactorCorrelation[];
  readonly byRevision: readonly GroupFailureRate[];
  readonly byBatch: readonly GroupFailureRate[];
}

function rateOf(units: readonly UnitAssessment[]): GroupRate {
  const failed = units.filter((unit) => unit.failed).length;
  return { units: units.length, failed, rate: units.length === 0 ? null : failed / units.length };
}

function ratio(a: GroupRate, b: GroupRate): number | null {
  return a.rate === null || b.rate === null || b.rate === 0 ? null : a.rate / b.rate;
}

function evidence(a: GroupRate, b: GroupRate): Evidence {
  if (a.units === 0 || b.units === 0) return 'none';
  return Math.min(a.units, b.units) < MIN_GROUP_UNITS || a.failed + b.failed < MIN_FAILURES ? 'weak' : 'fair';
}

function per(unit: 'month' | 'day'): string {
  return unit === 'month' ? 'a month' : 'a day';
}

function describe(label: string, threshold: string, sides: { above: GroupRate; below: GroupRate; ratio: number | null }): string {
  const counts = `${sides.above.failed} of ${sides.above.units} vs ${sides.below.failed} of ${sides.below.units}`;
  if (sides.above.units === 0) return `no unit reached ${threshold} ${label}`;
  if (sides.below.units === 0) return `every unit has ${threshold} ${label}`;
  if (sides.ratio === null) return sides.above.failed === 0 ? `no failures either side (${counts})` : `units with ${threshold} ${label} failed; none below did (${counts})`;
  return `units with ${threshold} ${label} failed ${sides.ratio.toFixed(1)}× as often (${counts})`;
}

function correlate(units: readonly UnitAssessment[]): FactorCorrelation[] {
  return riskFactors
    .filter((factor) => factor.correlate)
    .map((factor) => {
      const atOrAbove = rateOf(units.filter((unit) => unit.rates[factor.id] >= factor.threshold));
      const below = rateOf(units.filter((unit) => unit.rates[factor.id] < factor.threshold));
      const r = ratio(atOrAbove, below);
      return {
        factor: factor.id,
        label: factor.label,
        threshold: factor.threshold,
        per: factor.per,
        atOrAbove,
        below,
        ratio: r,
        evidence: evidence(atOrAbove, below),
        finding: describe(`${factor.label} ${per(factor.per)}`, `≥ ${factor.threshold}`, { above: atOrAbove, below, ratio: r }),
      };
    })
    .sort((a, b) => (b.ratio ?? -1) - (a.ratio ?? -1));
}

function byGroup(units: readonly UnitAssessment[], key: (unit: UnitAssessment) => string | null): GroupFailureRate[] {
  const groups = new Map<string, UnitAssessment[]>();
  for (const unit of units) {
    const name = key(unit) ?? '(unknown)';
    const members = groups.get(name);
    if (members === undefined) groups.set(name, [unit]);
    else members.push(unit);
  }
  const all = rateOf(units);
  return [...groups.entries()]
    .map(([group, members]) => {
      const own = rateOf(members);
      const restUnits = all.units - own.units;
      const rest = { units: restUnits, failed: all.failed - own.failed, rate: restUnits === 0 ? null : (all.failed - own.failed) / restUnits };
      return { group, ...own, ratioToRest: ratio(own, rest), evidence: evidence(own, rest) };
    })
    .sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || b.units - a.units || a.group.localeCompare(b.group));
}

/** The correlation tables over the units given (units never heard from are left out: nothing to say). */
export function analyseFleet(assessed: readonly UnitAssessment[]): FleetAnalysis {
  const units = assessed.filter((unit) => unit.health !== 'never-seen');
  const all = rateOf(units);
  return {
    units: all.units,
    failed: all.failed,
    fleetRate: all.rate,
    needsReflash: units.filter((unit) => unit.needsReflash).length,
    silent: units.filter((unit) => unit.silent).length,
    byFactor: correlate(units),
    byRevision: byGroup(units, (unit) => unit.revision),
    byBatch: byGroup(units, (unit) => unit.batch),
  };
}
