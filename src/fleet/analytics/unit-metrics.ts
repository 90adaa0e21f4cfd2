import { toIso, toNumber, type SqlQueryable, type SqlRow } from '../store/executor.js';
import type { RiskFactorId } from './risk-factors.js';

// One statement per question, the same on PGlite and PostgreSQL (store/executor.ts): the events of
// the window counted per unit and factor with FILTER, the unit's whole life for silence and EDL,
// its firmware revision (latest firmware-revision-change, else the production record) and its
// reflashes from the rework log. The (unit, type, wall_time) index serves the per-unit case.

export interface UnitMetrics {
  readonly id: string;
  readonly batch: string | null;
  readonly tags: readonly string[];
  readonly connection: 'online' | 'offline' | null;
  /** When the server last received something from the unit (server clock). */
  readonly lastSeenAt: string | null;
  readonly revision: string | null;
  readonly producedOn: string | null;
  readonly imei: string | null;
  /** Events in the analysis window, per factor. */
  readonly counts: Readonly<Record<RiskFactorId, number>>;
  readonly firstInWindow: string | null;
  /** All events up to the analysis time. */
  readonly events: number;
  readonly firstEventAt: string | null;
  /** Wall clock of the newest event (the unit's clock). */
  readonly lastEventAt: string | null;
  readonly foundInEdl: boolean;
  /** Rework records of a flash for this unit. */
  readonly reflashes: number;
}

const UNIT_METRICS = `
WITH p AS (SELECT $1::timestamptz AS as_of, $1::timestamptz - make_interval(days => $2::int) AS since),
win AS (
  SELECT e.unit,
    count(*) FILTER (WHERE e.type = 'power-loss-ungraceful') AS power_loss,
    count(*) FILTER (WHERE e.type = 'vbat-dip') AS vbat_dip,
    count(*) FILTER (WHERE e.type = 'cfun-transition' AND e.data->>'decision' = 'allowed') AS cfun_toggle,
    count(*) FILTER (WHERE e.type = 'nv-write' AND e.data->>'outcome' = 'written') AS nv_write,
    count(*) FILTER (WHERE e.type = 'boot' AND e.data->>'reason' = 'unexpected-rdy') AS unexpected_reboot,
    count(*) FILTER (WHERE e.type = 'module-in-edl' OR (e.type = 'boot' AND e.data->>'reason' = 'recovered-from-edl')) AS edl,
    min(e.wall_time) AS first_in_window
  FROM events e, p
  WHERE e.wall_time > p.since AND e.wall_time <= p.as_of AND ($3::text IS NULL OR e.unit = $3)
  GROUP BY e.unit
),
life AS (
  SELECT e.unit, count(*) AS events, min(e.wall_time) AS first_event_at, max(e.wall_time) AS last_event_at,
    bool_or(e.type = 'module-in-edl' OR (e.type = 'boot' AND e.data->>'reason' = 'recovered-from-edl')) AS found_in_edl
  FROM events e, p
  WHERE e.wall_time <= p.as_of AND ($3::text IS NULL OR e.unit = $3)
  GROUP BY e.unit
),
rev AS (
  SELECT DISTINCT ON (e.unit) e.unit, e.data->>'to' AS revision
  FROM events e, p
  WHERE e.type = 'firmware-revision-change' AND e.wall_time <= p.as_of AND ($3::text IS NULL OR e.unit = $3)
  ORDER BY e.unit, e.wall_time DESC, e.seq DESC
),
flash AS (
  SELECT r.unit, count(*) AS reflashes
  FROM rework_records r, p
  WHERE r.unit IS NOT NULL AND r.command LIKE 'flash%' AND r.outcome IN ('verified', 'flashed', 'failed-recoverable', 'failed') AND r.time <= p.as_of
  GROUP BY r.unit
)
SELECT u.id, coalesce(pr.batch, u.batch) AS batch, u.tags, u.status, u.last_seen_at,
  pr.produced_on::text AS produced_on, pr.imei, coalesce(rev.revision, pr.module_revision) AS revision,
  w.power_loss, w.vbat_dip, w.cfun_toggle, w.nv_write, w.unexpected_reboot, w.edl, w.first_in_window,
  life.events, life.first_event_at, life.last_event_at, life.found_in_edl, flash.reflashes
FROM units u
LEFT JOIN production_records pr ON pr.unit = u.id
LEFT JOIN win w ON w.unit = u.id
LEFT JOIN life ON life.unit = u.id
LEFT JOIN rev ON rev.unit = u.id
LEFT JOIN flash ON flash.unit = u.id
WHERE $3::text IS NULL OR u.id = $3
ORDER BY u.id`;

function count(row: SqlRow, key: string): number {
  const value = row[key];
  return value === null || value === undefined ? 0 : toNumber(value);
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function metricsOf(row: SqlRow): UnitMetrics {
  const status = row['status'];
  return {
    id: String(row['id']),
    batch: textOrNull(row['batch']),
    tags: Array.isArray(row['tags']) ? row['tags'].map(String) : [],
    connection: status === 'online' || status === 'offline' ? status : null,
    lastSeenAt: toIso(row['last_seen_at']),
    revision: textOrNull(row['revision']),
    producedOn: textOrNull(row['produced_on']),
    imei: textOrNull(row['imei']),
    counts: {
      'power-loss': count(row, 'power_loss'),
      'vbat-dip': count(row, 'vbat_dip'),
      'cfun-toggle': count(row, 'cfun_toggle'),
      'nv-write': count(row, 'nv_write'),
      'unexpected-reboot': count(row, 'unexpected_reboot'),
      edl: count(row, 'edl'),
    },
    firstInWindow: toIso(row['first_in_window']),
    events: count(row, 'events'),
    firstEventAt: toIso(row['first_event_at']),
    lastEventAt: toIso(row['last_event_at']),
    foundInEdl: row['found_in_edl'] === true,
    reflashes: count(row, 'reflashes'),
  };
}

/** Every unit's metrics (or one unit's, with `unit`), as of `asOf` over the last `windowDays`. */
export async function loadUnitMetrics(db: SqlQueryable, options: { readonly asOf: Date; readonly windowDays: number; readonly unit?: string }): Promise<UnitMetrics[]> {
  const rows = await db.query(UNIT_METRICS, [options.asOf.toISOString(), options.windowDays, options.unit ?? null]);
  return rows.map(metricsOf);
}
