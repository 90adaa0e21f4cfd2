import type { ResolvedAnalyticsOptions } from './analytics-options.js';
import { riskFactors, type RiskFactorId } from './risk-factors.js';
import type { UnitMetrics } from './unit-metrics.js';

/** One line of "why this score": the factor's count, its rate and the points it adds. */
export interface RiskReason {
  readonly factor: RiskFactorId;
  readonly label: string;
  readonly count: number;
  /** Events per `per` over the days observed. */
  readonly rate: number;
  readonly per: 'month' | 'day';
  readonly weight: number;
  readonly saturation: number;
  /** Points of the score (0…weight). */
  readonly contribution: number;
  readonly why: string;
}

/**
 * failed: needed a reflash (a rework flash, or found in EDL) or went silent (issue #6's definition);
 * at-risk: score ≥ the threshold; never-seen: registered, no event yet.
 */
export type UnitHealth = 'failed' | 'silent' | 'at-risk' | 'ok' | 'never-seen';

export interface UnitAssessment extends UnitMetrics {
  readonly score: number;
  /** Highest contribution first. */
  readonly reasons: readonly RiskReason[];
  readonly observedDays: number;
  readonly silent: boolean;
  readonly needsReflash: boolean;
  /** needsReflash or silent. */
  readonly failed: boolean;
  /** Plain words for each failure ("found in EDL", "silent for 12 days", "reflashed 2×"). */
  readonly failures: readonly string[];
  readonly health: UnitHealth;
  /** Rates per factor, for the fleet tables. */
  readonly rates: Readonly<Record<RiskFactorId, number>>;
}

const DAY_MS = 86_400_000;

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function assessUnit(metrics: UnitMetrics, options: ResolvedAnalyticsOptions): UnitAssessment {
  const asOf = options.asOf.getTime();
  const lastEvent = metrics.lastEventAt === null ? undefined : Date.parse(metrics.lastEventAt);
  const silentDays = lastEvent === undefined ? 0 : (asOf - lastEvent) / DAY_MS;
  const silent = lastEvent !== undefined && silentDays >= options.silentDays;
  // Rates over the days the unit was heard from inside the window: a unit added last week or silent
  // since last week is not diluted by days it could not report.
  const windowStart = asOf - options.windowDays * DAY_MS;
  const from = Math.max(windowStart, metrics.firstEventAt === null ? asOf : Date.parse(metrics.firstEventAt));
  const to = silent ? lastEvent : asOf;
  const observedDays = Math.max(1, (to - from) / DAY_MS);
  const reasons = riskFactors.map((factor): RiskReason => {
    const count = metrics.counts[factor.id];
    const rate = (count / observedDays) * (factor.per === 'month' ? 30 : 1);
    return {
      factor: factor.id,
      label: factor.label,
      count,
      rate: round(rate, 2),
      per: factor.per,
      weight: factor.weight,
      saturation: factor.saturation,
      contribution: round(factor.weight * Math.min(1, rate / factor.saturation), 1),
      why: factor.why,
    };
  });
  const score = Math.round(reasons.reduce((sum, reason) => sum + reason.contribution, 0));
  const needsReflash = metrics.reflashes > 0 || metrics.foundInEdl;
  const failures = [
    ...(metrics.reflashes > 0 ? [`reflashed ${metrics.reflashes}× (rework log)`] : []),
    ...(metrics.foundInEdl ? ['found in EDL 9008'] : []),
    ...(silent ? [`silent for ${Math.floor(silentDays)} days`] : []),
  ];
  const failed = needsReflash || silent;
  const health: UnitHealth = metrics.events === 0 && !needsReflash ? 'never-seen' : needsReflash ? 'failed' : silent ? 'silent' : score >= options.atRiskScore ? 'at-risk' : 'ok';
  // Every field named (no spread): the fleet tables walk 10,000 of these objects per request, and
  // objects made by spreading end up with many hidden classes, which made those walks ~50× slower.
  return {
    id: metrics.id,
    batch: metrics.batch,
    tags: metrics.tags,
    connection: metrics.connection,
    lastSeenAt: metrics.lastSeenAt,
    revision: metrics.revision,
    producedOn: metrics.producedOn,
    imei: metrics.imei,
    counts: metrics.counts,
    firstInWindow: metrics.firstInWindow,
    events: metrics.events,
    firstEventAt: metrics.firstEventAt,
    lastEventAt: metrics.lastEventAt,
    foundInEdl: metrics.foundInEdl,
    reflashes: metrics.reflashes,
    score,
    reasons: [...reasons].sort((a, b) => b.contribution - a.contribution || b.count - a.count),
    observedDays: round(observedDays, 1),
    silent,
    needsReflash,
    failed,
    failures,
    health,
    rates: Object.fromEntries(reasons.map((reason) => [reason.factor, reason.rate])) as Record<RiskFactorId, number>,
  };
}
