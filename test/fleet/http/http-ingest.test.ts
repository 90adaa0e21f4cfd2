import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFleetServer, type FleetServer } from '../../../src/fleet/index.js';
import { basicAuth, eventOf, eventsOf, get, post, refusalCounts } from '../fleet-fixture.js';

const TOKEN = 'test-admin-token-0123456789';

describe('POST /api/v1/events on the embedded server', () => {
  let server: FleetServer;
  let events: string;
  let auth: string;
  before(async () => {
    server = await startFleetServer({ port: 0, mqttPort: 0, adminToken: TOKEN, limits: { maxBytes: 64 * 1024, maxEvents: 100 } });
    events = `${server.http}/api/v1/events`;
    const added = await post(`${server.http}/api/v1/units`, { auth: `Bearer ${TOKEN}`, body: JSON.stringify({ id: 'unit-h1', batch: 'B1', tags: ['lab'] }) });
    assert.equal(added.status, 201);
    auth = basicAuth('unit-h1', String(added.body['secret']));
  });
  after(() => server.close());

  it('stores a batch, answers its counts, and a resend changes nothing', async () => {
    const batch = JSON.stringify({ events: eventsOf('unit-h1', 1, 20) });
    const first = await post(events, { auth, body: batch });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, { ok: true, accepted: 20, duplicates: 0, refused: [], highestStoredSeq: 20 });
    const again = await post(events, { auth, body: batch });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { ok: true, accepted: 0, duplicates: 20, refused: [], highestStoredSeq: 20 });
    const stored = await get(`${server.http}/api/v1/units/unit-h1/events?limit=100`, TOKEN);
    assert.deepEqual(stored.body['events'], eventsOf('unit-h1', 1, 20));
  });

  it('takes Bearer unit:secret and NDJSON (journal lines) as well', async () => {
    const secret = Buffer.from(auth.slice('Basic '.length), 'base64').toString().split(':')[1] ?? '';
    const body = eventsOf('unit-h1', 21, 3).map((event) => JSON.stringify(event)).join('\n');
    const answer = await post(events, { auth: `Bearer unit-h1:${secret}`, body: `${body}\n`, contentType: 'application/x-ndjson' });
    assert.equal(answer.status, 200);
    assert.equal(answer.body['accepted'], 3);
  });

  it('refuses every bad request with a reason, stores nothing of it, and counts it in /api/v1/stats', async () => {
    const cases: { name: string; request: Parameters<typeof post>[1]; status: number; reason: string; detail: RegExp }[] = [
      { name: 'malformed JSON', request: { auth, body: '{"events":[{"schema":1,' }, status: 400, reason: 'malformed-json', detail: /JSON/u },
      { name: 'not a batch', request: { auth, body: '{"hello":1}' }, status: 400, reason: 'malformed-batch', detail: /events/u },
      { name: 'oversized', request: { auth, body: JSON.stringify({ events: eventsOf('unit-h1', 100, 90) }).padEnd(70 * 1024, ' ') }, status: 413, reason: 'oversized', detail: /65536 bytes/u },
      { name: 'too many events', request: { auth, body: JSON.stringify({ events: eventsOf('unit-h1', 200, 101) }) }, status: 413, reason: 'oversized', detail: /101 events/u },
      { name: 'no credentials', request: { body: JSON.stringify({ events: [eventOf('unit-h1', 300)] }) }, status: 401, reason: 'unauthenticated', detail: /no unit credentials/u },
      { name: 'wrong secret', request: { auth: basicAuth('unit-h1', 'wrong-secret-wrong-secret'), body: JSON.stringify({ events: [eventOf('unit-h1', 301)] }) }, status: 401, reason: 'unauthenticated', detail: /wrong secret/u },
      { name: 'unknown unit', request: { auth: basicAuth('unit-ghost', 'whatever-whatever'), body: '{}' }, status: 401, reason: 'unauthenticated', detail: /unit-ghost/u },
      { name: 'wrong unit', request: { auth, body: JSON.stringify({ events: [eventOf('unit-h1', 302), eventOf('unit-other', 303)] }) }, status: 403, reason: 'unit-mismatch', detail: /unit-other/u },
    ];
    const before = await refusalCounts(server.http, TOKEN);
    for (const example of cases) {
      const answer = await post(events, example.request);
      assert.equal(answer.status, example.status, example.name);
      assert.equal(answer.body['ok'], false, example.name);
      assert.equal(answer.body['accepted'], 0, example.name);
      const [refusal] = answer.body['refused'] as { reason: string; detail: string }[];
      assert.equal(refusal?.reason, example.reason, example.name);
      assert.match(refusal.detail, example.detail, example.name);
    }
    const counts = await refusalCounts(server.http, TOKEN);
    const expected: Record<string, number> = {};
    for (const example of cases) expected[example.reason] = (expected[example.reason] ?? 0) + 1;
    for (const [reason, count] of Object.entries(expected)) assert.equal((counts[reason] ?? 0) - (before[reason] ?? 0), count, reason);
    // Nothing of the refused batches was stored (seq 300… and the good event beside the foreign one).
    const stored = await get(`${server.http}/api/v1/units/unit-h1/events?after=299`, TOKEN);
    assert.deepEqual(stored.body['events'], []);
  });

  it("names the schema violation with the guard validator's reason, and stores the valid events beside it", async () => {
    const bad = { ...eventOf('unit-h1', 401), type: 'cfun-transition', data: { to: 1, by: 'app', decision: 'ignored' } };
    const answer = await post(events, { auth, body: JSON.stringify({ events: [eventOf('unit-h1', 400), bad, eventOf('unit-h1', 402)] }) });
    assert.equal(answer.status, 422);
    assert.equal(answer.body['accepted'], 2);
    assert.deepEqual(answer.body['refused'], [{ reason: 'invalid-event', detail: 'data.decision: "ignored" is not one of allowed, delayed, coalesced, refused', index: 1, seq: 401 }]);
  });

  it('refuses a replayed seq with different content, keeps the stored event, and counts it', async () => {
    const before = await refusalCounts(server.http, TOKEN);
    const replay = { ...eventOf('unit-h1', 5), bootSession: 'another-session' };
    const answer = await post(events, { auth, body: JSON.stringify([replay]) });
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body['refused'], [{ reason: 'seq-conflict', detail: 'seq 5 is already stored with different content', index: 0, seq: 5 }]);
    const stored = await get(`${server.http}/api/v1/units/unit-h1/events?after=4&limit=1`, TOKEN);
    assert.deepEqual(stored.body['events'], [eventOf('unit-h1', 5)]);
    assert.equal((await refusalCounts(server.http, TOKEN))['seq-conflict'], (before['seq-conflict'] ?? 0) + 1);
  });

  it('keeps the read APIs behind the admin token', async () => {
    for (const path of ['/api/v1/units', '/api/v1/stats', '/api/v1/units/unit-h1/events']) {
      assert.equal((await get(`${server.http}${path}`)).status, 401, path);
      assert.equal((await get(`${server.http}${path}`, 'not-the-token')).status, 401, path);
    }
    const units = await get(`${server.http}/api/v1/units`, TOKEN);
    assert.equal(units.status, 200);
    const [unit] = units.body['units'] as { id: string; batch: string; tags: string[]; events: number }[];
    assert.deepEqual({ id: unit?.id, batch: unit?.batch, tags: unit?.tags }, { id: 'unit-h1', batch: 'B1', tags: ['lab'] });
    assert.equal((await get(`${server.http}/api/v1/units/unit-h1/events?limit=0`, TOKEN)).status, 400);
  });

  it('refuses a unit id that cannot be a topic level, and a second unit of the same id', async () => {
    const bad = await post(`${server.http}/api/v1/units`, { auth: `Bearer ${TOKEN}`, body: JSON.stringify({ id: 'a/b' }) });
    assert.equal(bad.status, 400);
    const again = await post(`${server.http}/api/v1/units`, { auth: `Bearer ${TOKEN}`, body: JSON.stringify({ id: 'unit-h1' }) });
    assert.equal(again.status, 409);
  });
});
