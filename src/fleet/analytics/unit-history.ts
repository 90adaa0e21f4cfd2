import type { RiskEvent } from '../../guard/events/index.js';
import { toIso, toNumber, type SqlQueryable } from '../store/executor.js';

// What the unit page shows beside the score: the newest events, the VBAT series, boots with their
// reasons, CFUN toggles per day and the rework history.

export interface ReworkEntry {
  readonly id: string;
  readonly time: string | null;
  readonly command: string;
  readonly outcome: string;
  readonly revisionAfter: string | null;
  readonly cause: string | null;
  readonly next: string | null;
}

export interface UnitHistory {
  /** Newest first. */
  readonly events: readonly RiskEvent[];
  readonly vbat: readonly { readonly at: string; readonly mV: number }[];
  readonly dips: readonly { readonly at: string; readonly mV: number }[];
  readonly registration: readonly { readonly at: string; readonly registered: boolean }[];
  readonly boots: readonly { readonly at: string; readonly reason: string; readonly detail: string | null }[];
  readonly cfunPerDay: readonly { readonly day: string; readonly toggles: number }[];
  readonly rework: readonly ReworkEntry[];
}

function at(row: Readonly<Record<string, unknown>>): string {
  return toIso(row['wall_time']) ?? '';
}

export async function loadUnitHistory(db: SqlQueryable, unit: string, options: { readonly asOf: Date; readonly windowDays: number; readonly limit: number }): Promise<UnitHistory> {
  const params = [unit, options.asOf.toISOString(), options.windowDays];
  const window = `unit = $1 AND wall_time <= $2::timestamptz AND wall_time > $2::timestamptz - make_interval(days => $3::int)`;
  const [events, vbat, registration, boots, cfun, rework] = await Promise.all([
    db.query(`SELECT seq, boot_session, type, wall_time, mono_ms, data FROM events WHERE unit = $1 AND wall_time <= $2::timestamptz ORDER BY wall_time DESC, seq DESC LIMIT $3`, [unit, options.asOf.toISOString(), options.limit]),
    // At most 2,000 points: a chart 1,000 px wide cannot show more.
    db.query(`SELECT wall_time, type, (data->>'mV')::int AS mv FROM (SELECT * FROM events WHERE ${window} AND type IN ('vbat-sample', 'vbat-dip') ORDER BY wall_time DESC LIMIT 2000) s ORDER BY wall_time`, params),
    db.query(`SELECT wall_time, type FROM events WHERE ${window} AND type IN ('registration-lost', 'registration-regained') ORDER BY wall_time LIMIT 2000`, params),
    db.query(`SELECT wall_time, data->>'reason' AS reason, data->>'detail' AS detail FROM events WHERE ${window} AND type = 'boot' ORDER BY wall_time DESC LIMIT 200`, params),
    db.query(`SELECT to_char(date_trunc('day', wall_time AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*) AS toggles FROM events WHERE ${window} AND type = 'cfun-transition' AND data->>'decision' = 'allowed' GROUP BY 1 ORDER BY 1`, params),
    db.query(`SELECT id, time, command, outcome, revision_after, record->'verdict'->>'cause' AS cause, record->>'next' AS next FROM rework_records WHERE unit = $1 ORDER BY time DESC LIMIT 100`, [unit]),
  ]);
  return {
    events: events.map((row) => ({ schema: 1, unit, bootSession: String(row['boot_session']), seq: toNumber(row['seq']), wallTime: at(row), monoMs: toNumber(row['mono_ms']), type: row['type'], data: row['data'] }) as RiskEvent),
    vbat: vbat.filter((row) => row['type'] === 'vbat-sample').map((row) => ({ at: at(row), mV: toNumber(row['mv']) })),
    dips: vbat.filter((row) => row['type'] === 'vbat-dip').map((row) => ({ at: at(row), mV: toNumber(row['mv']) })),
    registration: registration.map((row) => ({ at: at(row), registered: row['type'] === 'registration-regained' })),
    boots: boots.map((row) => ({ at: at(row), reason: String(row['reason']), detail: typeof row['detail'] === 'string' ? row['detail'] : null })),
    cfunPerDay: cfun.map((row) => ({ day: String(row['day']), toggles: toNumber(row['toggles']) })),
    rework: rework.map((row) => ({
      id: String(row['id']),
      time: toIso(row['time']),
      command: String(row['command']),
      outcome: String(row['outcome']),
      revisionAfter: typeof row['revision_after'] === 'string' ? row['revision_after'] : null,
      cause: typeof row['cause'] === 'string' ? row['cause'] : null,
      next: typeof row['next'] === 'string' ? row['next'] : null,
    })),
  };
}
