import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { connectAsync } from 'mqtt';
import pg from 'pg';
import { basicAuth, eventsOf, freshSchema, freshTopicPrefix, get, MQTT_URL, PG_URL, post } from '../fleet/fleet-fixture.js';
import { medicBin, runMedic } from '../helpers/medic.js';
import { tempDir, waitFor } from '../helpers/wait.js';

interface Serving {
  readonly child: ChildProcess;
  readonly ready: { ok: boolean; http: string; mqtt: string; store: string; schemaVersion: number; adminToken?: string };
  readonly stderr: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** `medic fleet serve ARGS --json` until its one ready line. */
function serve(args: readonly string[]): Promise<Serving> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [medicBin, 'fleet', 'serve', '--json', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => { done(code); }));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fleet serve did not get ready\n${stderr}`));
    }, 90_000);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`fleet serve exited with ${code} before it was ready\n${stderr}`));
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve({
        child,
        ready: JSON.parse(line) as Serving['ready'],
        stderr: () => stderr,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}

async function countRows(schema: string): Promise<number> {
  const url = new URL(PG_URL);
  if (url.username === '') url.username = process.env['USER'] ?? 'root';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".events`);
    return Number(result.rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe('medic fleet', () => {
  it('serve: two processes on one PostgreSQL and one Mosquitto store every event exactly once', async () => {
    await using schema = await freshSchema();
    const prefix = freshTopicPrefix();
    const db = ['--db', PG_URL, '--db-schema', schema.name];
    const units = ['unit-c1', 'unit-c2', 'unit-c3'];
    const secrets = new Map<string, string>();
    for (const unit of units) {
      const added = await runMedic(['fleet', 'unit', 'add', unit, ...db, '--batch', 'B2026-11', '--tag', 'test', '--json']);
      assert.equal(added.code, 0, added.stderr);
      const answer = JSON.parse(added.stdout) as { unit: string; secret: string };
      assert.equal(answer.unit, unit);
      secrets.set(unit, answer.secret);
    }
    const servers = await Promise.all([0, 1].map(() => serve([...db, '--mqtt', MQTT_URL, '--topic-prefix', prefix, '--admin-token', 'two-servers-token'])));
    try {
      for (const { ready } of servers) assert.deepEqual({ ok: ready.ok, store: ready.store, mqtt: ready.mqtt, schemaVersion: ready.schemaVersion }, { ok: true, store: 'postgres', mqtt: MQTT_URL, schemaVersion: 2 });
      const publisher = await connectAsync(MQTT_URL, { protocolVersion: 5, reconnectPeriod: 0 });
      const perUnit = 200;
      try {
        // Every unit's events go out over MQTT in messages of 20, and each message once more over
        // HTTP to one of the two servers: every event arrives at least twice.
        for (const unit of units) {
          for (let from = 1; from <= perUnit; from += 20) {
            const body = JSON.stringify({ events: eventsOf(unit, from, 20) });
            await publisher.publishAsync(`${prefix}/units/${unit}/events`, body, { qos: 1 });
            const target = servers[(from / 20) % 2 === 0 ? 0 : 1];
            const answer = await post(`${target?.ready.http ?? ''}/api/v1/events`, { auth: basicAuth(unit, secrets.get(unit) ?? ''), body });
            assert.equal(answer.status, 200);
          }
        }
      } finally {
        await publisher.endAsync();
      }
      const expected = units.length * perUnit;
      // Mosquitto's shared subscription handed MQTT messages to both servers.
      await waitFor(async () => {
        const handled = await Promise.all(servers.map(async (server) => (await get(`${server.ready.http}/api/v1/health`)).body['handledByThisProcess'] as { mqttMessages: number }));
        return handled.reduce((sum, one) => sum + one.mqttMessages, 0) === units.length * (perUnit / 20) && handled.every((one) => one.mqttMessages > 0);
      }, 30_000, 'both servers to handle MQTT messages');
      await waitFor(async () => (await countRows(schema.name)) === expected, 30_000, `${expected} rows`);
      const stats = await get(`${servers[1]?.ready.http ?? ''}/api/v1/stats`, 'two-servers-token');
      assert.equal(stats.body['events'], expected);
      assert.deepEqual(stats.body['refusals'], {});
    } finally {
      const codes = await Promise.all(servers.map((server) => server.stop()));
      assert.deepEqual(codes, [0, 0], servers.map((server) => server.stderr()).join('\n'));
    }
    assert.equal(await countRows(schema.name), units.length * 200);
  });

  it('serve: the embedded store keeps units across restarts and keeps a second process out of its directory', async () => {
    await using dir = await tempDir('medic-fleet-');
    const added = await runMedic(['fleet', 'unit', 'add', 'unit-e1', '--data-dir', dir.path, '--json'], { timeoutMs: 90_000 });
    assert.equal(added.code, 0, added.stderr);
    const { secret } = JSON.parse(added.stdout) as { secret: string };
    const server = await serve(['--data-dir', dir.path, '--mqtt-port', '0']);
    try {
      assert.equal(server.ready.store, 'embedded');
      assert.match(server.ready.adminToken ?? '', /^[\w-]{20,}$/u);
      const answer = await post(`${server.ready.http}/api/v1/events`, { auth: basicAuth('unit-e1', secret), body: JSON.stringify({ events: eventsOf('unit-e1', 1, 5) }) });
      assert.equal(answer.status, 200);
      assert.equal(answer.body['accepted'], 5);
      const busy = await runMedic(['fleet', 'unit', 'add', 'unit-e2', '--data-dir', dir.path, '--json'], { timeoutMs: 90_000 });
      assert.equal(busy.code, 5);
      assert.equal((JSON.parse(busy.stdout) as { error: { code: string } }).error.code, 'FLEET_STORE_BUSY');
      assert.match(busy.stderr, /what to do: .*POST \/api\/v1\/units/u);
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });

  it('refuses bad options with exit code 2 and a hint', async () => {
    const badPort = await runMedic(['fleet', 'serve', '--port', 'eighty', '--in-memory']);
    assert.equal(badPort.code, 2);
    assert.match(badPort.stderr, /--port eighty is not a port number/u);
    const badDb = await runMedic(['fleet', 'unit', 'add', 'u1', '--db', 'mysql://localhost/x']);
    assert.equal(badDb.code, 2);
    assert.match(badDb.stderr, /not a postgres:\/\/ URL/u);
    const badUnit = await runMedic(['fleet', 'unit', 'add', 'no/slash', '--in-memory']);
    assert.equal(badUnit.code, 2);
    assert.match(badUnit.stderr, /not a valid unit id/u);
  });
});
