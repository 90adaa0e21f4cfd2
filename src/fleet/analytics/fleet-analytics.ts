import type { SqlQueryable } from '../store/executor.js';
import { resolveAnalyticsOptions, type AnalyticsOptions, type ResolvedAnalyticsOptions } from './analytics-options.js';
import { analyseFleet, type FleetAnalysis } from './fleet-analysis.js';
import { assessUnit, type UnitAssessment } from './unit-assessment.js';
import { filterUnits, type UnitFilter } from './unit-filter.js';
import { loadUnitHistory, type UnitHistory } from './unit-history.js';
import { loadUnitMetrics } from './unit-metrics.js';

export interface FleetCounts {
  readonly units: number;
  readonly online: number;
  readonly offline: number;
  readonly silent: number;
  readonly atRisk: number;
  /** Needed a reflash or went silent (issue #6's definition of a failure). */
  readonly failed: number;
  readonly needsReflash: number;
  readonly neverSeen: number;
}

export interface FleetOverview {
  readonly asOf: string;
  readonly options: Omit<ResolvedAnalyticsOptions, 'asOf'>;
  /** Counts over the whole fleet (the cards), whatever the filter. */
  readonly counts: FleetCounts;
  /** The units the filter keeps, worst first. */
  readonly units: readonly UnitAssessment[];
  /** Values to offer in the filter menus. */
  readonly facets: { readonly batches: readonly string[]; readonly revisions: readonly string[]; readonly tags: readonly string[] };
}

export interface FleetAnalytics {
  readonly options: (override?: AnalyticsOptions) => ResolvedAnalyticsOptions;
  assessAll(override?: AnalyticsOptions): Promise<UnitAssessment[]>;
  /** undefined when the unit is unknown. */
  unitRisk(unit: string, override?: AnalyticsOptions): Promise<UnitAssessment | undefined>;
  unitHistory(unit: string, override?: AnalyticsOptions & { readonly limit?: number }): Promise<UnitHistory>;
  overview(filter?: UnitFilter, override?: AnalyticsOptions): Promise<FleetOverview>;
  analysis(filter?: UnitFilter, override?: AnalyticsOptions): Promise<FleetAnalysis & { readonly asOf: string }>;
}

const healthOrder = { failed: 0, silent: 1, 'at-risk': 2, ok: 3, 'never-seen': 4 } as const;

function countsOf(units: readonly UnitAssessment[]): FleetCounts {
  return {
    units: units.length,
    online: units.filter((unit) => unit.connection === 'online').length,
    offline: units.filter((unit) => unit.connection === 'offline').length,
    silent: units.filter((unit) => unit.silent).length,
    atRisk: units.filter((unit) => unit.health === 'at-risk').length,
    failed: units.filter((unit) => unit.failed).length,
    needsReflash: units.filter((unit) => unit.needsReflash).length,
    neverSeen: units.filter((unit) => unit.health === 'never-seen').length,
  };
}

function distinct(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))].sort();
}

export interface FleetAnalyticsCache {
  /**
   * Fleet-wide results (overview, analysis) are reused for this long, then recomputed in the
   * background while the old ones are still served: one pass over every event of the window is
   * seconds on 10 million events, too slow for each page view (bench/dashboard.ts). 0: never reused.
   * Calls that name their own asOf are never cached.
   */
  readonly cacheSeconds?: number;
}

interface Snapshot {
  readonly asOf: Date;
  readonly units: readonly UnitAssessment[];
}

/** Risk scores, failure analysis and the overview, read from the store with `defaults` unless overridden per call. */
export function createFleetAnalytics(db: SqlQueryable, defaults: AnalyticsOptions = {}, cacheOptions: FleetAnalyticsCache = {}): FleetAnalytics {
  // A fixed `asOf` in the defaults stays fixed (a demo's clock); otherwise "now" at every call.
  const options = (override: AnalyticsOptions = {}): ResolvedAnalyticsOptions => resolveAnalyticsOptions({ ...defaults, ...override });
  const compute = async (resolved: ResolvedAnalyticsOptions): Promise<Snapshot> => ({
    asOf: resolved.asOf,
    units: (await loadUnitMetrics(db, resolved)).map((metrics) => assessUnit(metrics, resolved)),
  });
  const ttl = (cacheOptions.cacheSeconds ?? 0) * 1000;
  const cache = new Map<string, { at: number; snapshot: Promise<Snapshot>; refresh?: Promise<void> }>();
  const snapshot = (override?: AnalyticsOptions): Promise<Snapshot> => {
    const resolved = options(override);
    if (ttl <= 0 || override?.asOf !== undefined) return compute(resolved);
    const key = `${resolved.windowDays}/${resolved.silentDays}/${resolved.atRiskScore}`;
    const entry = cache.get(key);
    const now = Date.now();
    if (entry === undefined) {
      const fresh = { at: now, snapshot: compute(resolved) };
      cache.set(key, fresh);
      // A failed computation is not kept: the next call tries again.
      fresh.snapshot.catch(() => cache.delete(key));
      return fresh.snapshot;
    }
    if (now - entry.at > ttl && entry.refresh === undefined) {
      entry.refresh = compute(resolved).then(
        (next) => {
          cache.set(key, { at: Date.now(), snapshot: Promise.resolve(next) });
        },
        () => {
          delete entry.refresh;
        },
      );
    }
    return entry.snapshot;
  };
  const assessAll = async (override?: AnalyticsOptions): Promise<UnitAssessment[]> => [...(await snapshot(override)).units];
  return {
    options,
    assessAll,
    async unitRisk(unit, override) {
      const resolved = options(override);
      const [metrics] = await loadUnitMetrics(db, { ...resolved, unit });
      return metrics === undefined ? undefined : assessUnit(metrics, resolved);
    },
    unitHistory(unit, override) {
      const resolved = options(override);
      return loadUnitHistory(db, unit, { asOf: resolved.asOf, windowDays: resolved.windowDays, limit: override?.limit ?? 100 });
    },
    async overview(filter = {}, override) {
      const resolved = options(override);
      const { asOf, units } = await snapshot(override);
      const kept = filterUnits(units, filter).sort((a, b) => healthOrder[a.health] - healthOrder[b.health] || b.score - a.score || a.id.localeCompare(b.id));
      return {
        asOf: asOf.toISOString(),
        options: { windowDays: resolved.windowDays, silentDays: resolved.silentDays, atRiskScore: resolved.atRiskScore },
        counts: countsOf(units),
        units: kept,
        facets: { batches: distinct(units.map((unit) => unit.batch)), revisions: distinct(units.map((unit) => unit.revision)), tags: distinct(units.flatMap((unit) => unit.tags)) },
      };
    },
    async analysis(filter = {}, override) {
      const { asOf, units } = await snapshot(override);
      return { asOf: asOf.toISOString(), ...analyseFleet(filterUnits(units, filter)) };
    },
  };
}
