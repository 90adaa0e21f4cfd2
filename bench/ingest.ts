// bench/ingest: events per second sustained into the fleet store through the same path the servers
// use (ingestBatch: JSON parse, the guard's validator, digests, one multi-row INSERT per batch), into
// the embedded PGlite store (on disk, in a temporary directory) and into the PostgreSQL of this
// machine (a schema of its own, dropped afterwards); then over HTTP (fastify, Basic auth) into
// PostgreSQL. Targets of issue #6: ≥ 5,000/s embedded, ≥ 20,000/s PostgreSQL. Run by hand:
//   npm run build && node dist/bench/ingest.js [events] [batch] [postgres-url]
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ingestBatch, registerUnit, startFleetServer, openFleetStore, type FleetStore } from '../src/fleet/index.js';
import type { EventType, RiskEvent } from '../src/guard/events/index.js';
import { fullExamples } from '../test/helpers/risk-events.js';

const total = Number(process.argv[2] ?? 100_000);
const batchSize = Number(process.argv[3] ?? 1000);
const pgUrl = process.argv[4] ?? 'postgres://127.0.0.1:5432/test';
const units = 4;
const types = Object.keys(fullExamples) as EventType[];

function batchText(unit: string, from: number, count: number): string {
  const events = Array.from({ length: count }, (_, index): RiskEvent => {
    const seq = from + index;
    const type = types[seq % types.length] ?? 'boot';
    return { schema: 1, unit, bootSession: 'b4c1a7de-5f55-4a59-8f0b-6f4f3d1e2a90', seq, wallTime: new Date(1_790_000_000_000 + seq * 1000).toISOString(), monoMs: seq * 10, type, data: fullExamples[type] } as RiskEvent;
  });
  return JSON.stringify({ events });
}

/** `units` senders in parallel, each sending its share in batches; events/s over the whole run. */
async function run(send: (unit: string, body: string) => Promise<void>): Promise<number> {
  const perUnit = Math.floor(total / units);
  const bodies = Array.from({ length: units }, (_, u) => Array.from({ length: Math.ceil(perUnit / batchSize) }, (_, b) => batchText(`bench-${u}`, 1 + b * batchSize, Math.min(batchSize, perUnit - b * batchSize))));
  const started = performance.now();
  await Promise.all(bodies.map(async (list, u) => {
    for (const body of list) await send(`bench-${u}`, body);
  }));
  return (perUnit * units) / ((performance.now() - started) / 1000);
}

async function direct(store: FleetStore): Promise<number> {
  for (let u = 0; u < units; u += 1) await registerUnit(store, { id: `bench-${u}`, secret: 'bench-secret-bench-secret' });
  return run(async (unit, body) => {
    const result = await ingestBatch(store, unit, body, { limits: { maxBytes: 64 * 1024 * 1024, maxEvents: 1_000_000 } });
    if (result.refused.length > 0 || result.batchRefusal !== undefined) throw new Error(JSON.stringify(result.refused[0] ?? result.batchRefusal));
  });
}

async function dropSchema(schema: string): Promise<void> {
  const url = new URL(pgUrl);
  if (url.username === '') url.username = process.env['USER'] ?? 'root';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

const figures: Record<string, number> = {};

const dir = await mkdtemp(join(tmpdir(), 'medic-bench-'));
try {
  const { store } = await openFleetStore({ dataDir: dir });
  figures['embedded (PGlite on disk), ingestBatch'] = await direct(store);
  await store.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}

const schema = `medic_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
try {
  const { store } = await openFleetStore({ db: pgUrl, schema });
  figures['PostgreSQL, ingestBatch'] = await direct(store);
  await store.close();
} finally {
  await dropSchema(schema);
}

const httpSchema = `medic_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
try {
  const server = await startFleetServer({ db: pgUrl, dbSchema: httpSchema, port: 0, mqttPort: 0, limits: { maxBytes: 64 * 1024 * 1024, maxEvents: 1_000_000 } });
  for (let u = 0; u < units; u += 1) await registerUnit(server.store, { id: `bench-${u}`, secret: 'bench-secret-bench-secret' });
  figures['PostgreSQL, HTTP POST /api/v1/events'] = await run(async (unit, body) => {
    const response = await fetch(`${server.http}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${unit}:bench-secret-bench-secret`).toString('base64')}` }, body });
    if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  });
  await server.close();
} finally {
  await dropSchema(httpSchema);
}

console.log(`${total} events, batches of ${batchSize}, ${units} units sending in parallel`);
for (const [name, rate] of Object.entries(figures)) console.log(`${name.padEnd(40)} ${Math.round(rate).toLocaleString('en')} events/s`);
