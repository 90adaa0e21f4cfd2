// bench/dashboard: the dashboard API's latency on a big fleet (issue #6: p95 < 200 ms with 10,000
// units × 1,000 events). The fleet is written by SQL (generate_series), not through ingest, so the
// set-up takes minutes, not hours; the requests then go over HTTP to a real `fleet serve` stack.
// Run by hand:
//   npm run build && node dist/bench/dashboard.js [units] [events-per-unit] [postgres-url | embedded]
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { setOperator, startFleetServer, type FleetServer } from '../src/fleet/index.js';

const units = Number(process.argv[2] ?? 10_000);
const perUnit = Number(process.argv[3] ?? 1000);
const target = process.argv[4] ?? 'postgres://127.0.0.1:5432/test';
const TOKEN = 'bench-dashboard-token';

// One event in ten a power loss, one a VBAT dip, one a CFUN toggle, the rest VBAT samples; spread
// over the last 28 days so all of it falls in the 30-day window the analytics read.
const SEED_EVENTS = `
INSERT INTO events (unit, seq, boot_session, type, wall_time, mono_ms, data, digest)
SELECT 'u-' || u, s, 'bench',
  CASE s % 10 WHEN 0 THEN 'power-loss-ungraceful' WHEN 1 THEN 'vbat-dip' WHEN 2 THEN 'cfun-transition' ELSE 'vbat-sample' END,
  now() - make_interval(secs => (28 * 86400.0 * ($3::int - s)) / $3::int), s,
  CASE s % 10
    WHEN 0 THEN '{"previousBootSession":"x","previousLastSeq":1,"previousLastWallTime":"2026-01-01T00:00:00.000Z","bootReason":"power-on"}'::jsonb
    WHEN 1 THEN '{"mV":3200,"thresholdMv":3300}'::jsonb
    WHEN 2 THEN '{"to":0,"by":"connman","decision":"allowed"}'::jsonb
    ELSE jsonb_build_object('mV', 3700 + (s * 7) % 200) END,
  'bench'
FROM generate_series($1::int, $2::int) AS u, generate_series(1, $3::int) AS s`;

async function seed(server: FleetServer): Promise<void> {
  const { db } = server.store;
  await db.query(`INSERT INTO units (id, credential, batch, tags) SELECT 'u-' || g, 'x', 'B' || (g % 7), ARRAY['t' || (g % 3)] FROM generate_series(1, $1::int) AS g`, [units]);
  const started = performance.now();
  for (let from = 1; from <= units; from += 250) {
    await db.query(SEED_EVENTS, [from, Math.min(units, from + 249), perUnit]);
    process.stderr.write(`\rseeded ${Math.min(units, from + 249)} / ${units} units`);
  }
  process.stderr.write(` (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  if (db.kind === 'postgres') await db.query('ANALYZE events');
}

async function timeRequests(label: string, count: number, url: (index: number) => string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }): Promise<void> {
  const times: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    const response = await fetch(url(index), { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${label}: HTTP ${response.status}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): string => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(0);
  console.log(`${label.padEnd(34)} n=${String(count).padStart(4)}  p50 ${at(0.5).padStart(6)} ms  p95 ${at(0.95).padStart(6)} ms  max ${at(1).padStart(6)} ms`);
}

async function main(): Promise<void> {
  const schema = `bench_dashboard_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const embedded = target === 'embedded';
  const server = await startFleetServer({ port: 0, mqttPort: 0, adminToken: TOKEN, ...(embedded ? {} : { db: target, dbSchema: schema }) });
  try {
    console.log(`dashboard bench: ${units} units × ${perUnit} events on ${server.store.kind}`);
    await seed(server);
    // The first fleet-wide request reads every event of the window; later ones get the cached pass
    // (refreshed in the background every 10 s, FleetAnalyticsCache).
    await timeRequests('cold GET /api/v1/fleet/overview', 1, () => `${server.http}/api/v1/fleet/overview?limit=50`);
    await timeRequests('GET /api/v1/units/:id/risk', 200, (index) => `${server.http}/api/v1/units/u-${1 + ((index * 7919) % units)}/risk`);
    await timeRequests('GET /api/v1/fleet/overview?limit=50', 50, () => `${server.http}/api/v1/fleet/overview?limit=50`);
    await timeRequests('GET /api/v1/analysis', 50, () => `${server.http}/api/v1/analysis`);
    await timeRequests('GET /api/v1/analysis?batch=B3', 50, () => `${server.http}/api/v1/analysis?batch=B3`);
    await setOperator(server.store.db, 'bench', 'bench-password-0');
    const login = await fetch(`${server.http}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=bench&password=bench-password-0' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    await timeRequests('GET / (overview page)', 20, () => `${server.http}/`, { cookie });
    await timeRequests('GET /units/:id (page)', 50, (index) => `${server.http}/units/u-${1 + ((index * 7919) % units)}`, { cookie });
  } finally {
    await server.close();
    if (!embedded) {
      const url = new URL(target);
      if (url.username === '') url.username = process.env['USER'] ?? 'root';
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  }
}

await main();
