import type { RiskEvent } from '../../guard/events/index.js';
import type { RefusalReason } from '../ingest/refusal-reasons.js';
import { toIso, toNumber, type SqlExecutor } from './executor.js';

export interface NewUnit {
  readonly id: string;
  readonly credentialHash: string;
  readonly batch?: string;
  readonly tags?: readonly string[];
}

export interface UnitSummary {
  readonly id: string;
  readonly batch: string | null;
  readonly tags: readonly string[];
  readonly createdAt: string | null;
  readonly lastSeenAt: string | null;
  readonly status: 'online' | 'offline' | null;
  readonly statusAt: string | null;
  readonly events: number;
}

/** An event ready to store: the validated event and a digest of its canonical JSON. */
export interface EventToStore {
  readonly event: RiskEvent;
  readonly digest: string;
}

export interface InsertOutcome {
  readonly accepted: readonly number[];
  /** Already stored with the same content: a resend, harmless. */
  readonly duplicates: readonly number[];
  /** Already stored with other content. */
  readonly conflicts: readonly number[];
}

export interface RefusalCount {
  readonly unit: string;
  readonly reason: RefusalReason;
  readonly count: number;
  readonly detail: string;
}

export interface RefusalRow {
  readonly unit: string;
  readonly reason: string;
  readonly count: number;
  readonly lastAt: string | null;
  readonly lastDetail: string | null;
}

export interface FleetStats {
  readonly units: number;
  readonly online: number;
  readonly events: number;
  readonly refusals: Readonly<Record<string, number>>;
  readonly refusalsByUnit: readonly RefusalRow[];
}

/** The fleet's data, the same SQL on PGlite and PostgreSQL. */
export interface FleetStore {
  readonly kind: 'embedded' | 'postgres';
  /** The SQL underneath, for the analytics, imports and dashboard queries (same dialect on both engines). */
  readonly db: SqlExecutor;
  /** False when the id is taken. */
  addUnit(unit: NewUnit): Promise<boolean>;
  credentialOf(unit: string): Promise<string | undefined>;
  listUnits(): Promise<UnitSummary[]>;
  insertEvents(unit: string, events: readonly EventToStore[]): Promise<InsertOutcome>;
  countRefusals(refusals: readonly RefusalCount[]): Promise<void>;
  /** False when the unit is unknown. */
  setStatus(unit: string, status: 'online' | 'offline'): Promise<boolean>;
  unitEvents(unit: string, options: { readonly after: number; readonly limit: number }): Promise<RiskEvent[]>;
  stats(): Promise<FleetStats>;
  close(): Promise<void>;
}

// One statement per batch: the events travel as one jsonb array and are unpacked server side, so a
// batch of 1,000 is one round trip and one plan on both engines (the throughput targets of #6).
const INSERT_EVENTS = `
WITH batch AS (SELECT e FROM jsonb_array_elements($2::jsonb) AS e),
inserted AS (
  INSERT INTO events (unit, seq, boot_session, type, wall_time, mono_ms, data, digest)
  SELECT $1, (e->>'seq')::bigint, e->>'bootSession', e->>'type', (e->>'wallTime')::timestamptz, (e->>'monoMs')::float8, e->'data', e->>'digest'
  FROM batch
  ON CONFLICT (unit, seq) DO NOTHING
  RETURNING seq
),
seen AS (UPDATE units SET last_seen_at = now() WHERE id = $1)
SELECT seq FROM inserted`;

const COUNT_REFUSALS = `
INSERT INTO ingest_refusals (unit, reason, count, last_at, last_detail)
SELECT r->>'unit', r->>'reason', (r->>'count')::bigint, now(), r->>'detail' FROM jsonb_array_elements($1::jsonb) AS r
ON CONFLICT (unit, reason) DO UPDATE SET count = ingest_refusals.count + EXCLUDED.count, last_at = EXCLUDED.last_at, last_detail = EXCLUDED.last_detail`;

function summary(row: Readonly<Record<string, unknown>>): UnitSummary {
  const status = row['status'];
  return {
    id: String(row['id']),
    batch: typeof row['batch'] === 'string' ? row['batch'] : null,
    tags: Array.isArray(row['tags']) ? row['tags'].map(String) : [],
    createdAt: toIso(row['created_at']),
    lastSeenAt: toIso(row['last_seen_at']),
    status: status === 'online' || status === 'offline' ? status : null,
    statusAt: toIso(row['status_at']),
    events: toNumber(row['events']),
  };
}

function eventOf(unit: string, row: Readonly<Record<string, unknown>>): RiskEvent {
  // Rows only ever come from validated events, so the shape holds; wallTime comes back in UTC.
  return {
    schema: 1,
    unit,
    bootSession: String(row['boot_session']),
    seq: toNumber(row['seq']),
    wallTime: toIso(row['wall_time']) ?? '',
    monoMs: toNumber(row['mono_ms']),
    type: row['type'],
    data: row['data'],
  } as RiskEvent;
}

export function createFleetStore(db: SqlExecutor): FleetStore {
  return {
    kind: db.kind,
    db,

    async addUnit(unit) {
      const rows = await db.query('INSERT INTO units (id, credential, batch, tags) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING RETURNING id', [
        unit.id,
        unit.credentialHash,
        unit.batch ?? null,
        [...(unit.tags ?? [])],
      ]);
      return rows.length === 1;
    },

    async credentialOf(unit) {
      const rows = await db.query<{ credential: string }>('SELECT credential FROM units WHERE id = $1', [unit]);
      return rows[0]?.credential;
    },

    async listUnits() {
      const rows = await db.query(`
        SELECT u.*, (SELECT count(*) FROM events e WHERE e.unit = u.id) AS events
        FROM units u ORDER BY u.id`);
      return rows.map(summary);
    },

    async insertEvents(unit, events) {
      if (events.length === 0) return { accepted: [], duplicates: [], conflicts: [] };
      const payload = JSON.stringify(events.map(({ event, digest }) => ({ seq: event.seq, bootSession: event.bootSession, type: event.type, wallTime: event.wallTime, monoMs: event.monoMs, data: event.data, digest })));
      const inserted = new Set((await db.query(INSERT_EVENTS, [unit, payload])).map((row) => toNumber(row['seq'])));
      const accepted = events.filter((item) => inserted.has(item.event.seq)).map((item) => item.event.seq);
      const rest = events.filter((item) => !inserted.has(item.event.seq));
      if (rest.length === 0) return { accepted, duplicates: [], conflicts: [] };
      const stored = new Map(
        (await db.query('SELECT seq, digest FROM events WHERE unit = $1 AND seq = ANY($2::bigint[])', [unit, rest.map((item) => item.event.seq)])).map((row) => [toNumber(row['seq']), String(row['digest'])]),
      );
      const duplicates: number[] = [];
      const conflicts: number[] = [];
      for (const item of rest) (stored.get(item.event.seq) === item.digest ? duplicates : conflicts).push(item.event.seq);
      return { accepted, duplicates, conflicts };
    },

    async countRefusals(refusals) {
      const merged = new Map<string, RefusalCount>();
      for (const refusal of refusals) {
        const key = `${refusal.unit}\0${refusal.reason}`;
        const before = merged.get(key);
        merged.set(key, { ...refusal, count: (before?.count ?? 0) + refusal.count, detail: refusal.detail.slice(0, 500) });
      }
      if (merged.size === 0) return;
      await db.query(COUNT_REFUSALS, [JSON.stringify([...merged.values()])]);
    },

    async setStatus(unit, status) {
      const rows = await db.query('UPDATE units SET status = $2, status_at = now() WHERE id = $1 RETURNING id', [unit, status]);
      return rows.length === 1;
    },

    async unitEvents(unit, { after, limit }) {
      const rows = await db.query('SELECT seq, boot_session, type, wall_time, mono_ms, data FROM events WHERE unit = $1 AND seq > $2 ORDER BY seq LIMIT $3', [unit, after, limit]);
      return rows.map((row) => eventOf(unit, row));
    },

    async stats() {
      const [totals] = await db.query(`SELECT (SELECT count(*) FROM units) AS units, (SELECT count(*) FROM units WHERE status = 'online') AS online, (SELECT count(*) FROM events) AS events`);
      const byUnit = await db.query('SELECT unit, reason, count, last_at, last_detail FROM ingest_refusals ORDER BY unit, reason');
      const refusals: Record<string, number> = {};
      for (const row of byUnit) refusals[String(row['reason'])] = (refusals[String(row['reason'])] ?? 0) + toNumber(row['count']);
      return {
        units: toNumber(totals?.['units']),
        online: toNumber(totals?.['online']),
        events: toNumber(totals?.['events']),
        refusals,
        refusalsByUnit: byUnit.map((row) => ({
          unit: String(row['unit']),
          reason: String(row['reason']),
          count: toNumber(row['count']),
          lastAt: toIso(row['last_at']),
          lastDetail: typeof row['last_detail'] === 'string' ? row['last_detail'] : null,
        })),
      };
    },

    close: () => db.close(),
  };
}
