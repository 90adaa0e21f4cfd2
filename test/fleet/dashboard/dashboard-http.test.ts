import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setOperator, startFleetServer, type FleetServer } from '../../../src/fleet/index.js';
import type { RiskEvent } from '../../../src/guard/events/index.js';
import { basicAuth, get, post } from '../fleet-fixture.js';

const TOKEN = 'test-admin-token-dashboard-0123';
const XSS_TAG = '<script>alert("tag")</script>';

async function login(http: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${http}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
}

function page(http: string, path: string, cookie?: string): Promise<Response> {
  return fetch(`${http}${path}`, { redirect: 'manual', headers: cookie === undefined ? {} : { cookie } });
}

describe('dashboard and analytics APIs over HTTP', () => {
  let server: FleetServer;
  let cookie: string;
  before(async () => {
    server = await startFleetServer({ port: 0, mqttPort: 0, adminToken: TOKEN });
    await setOperator(server.store.db, 'alice', 'correct horse battery');
    const added = await post(`${server.http}/api/v1/units`, { auth: `Bearer ${TOKEN}`, body: JSON.stringify({ id: 'unit-d1', batch: 'B1', tags: [XSS_TAG, 'lab'] }) });
    const now = Date.now();
    const events: RiskEvent[] = [1, 2, 3, 4, 5, 6].map((seq) => ({
      schema: 1, unit: 'unit-d1', bootSession: 'b4c1a7de-5f55-4a59-8f0b-6f4f3d1e2a90', seq, wallTime: new Date(now - (7 - seq) * 3_600_000).toISOString(), monoMs: seq,
      ...(seq % 2 === 0 ? { type: 'power-loss-ungraceful', data: { previousBootSession: 'x', previousLastSeq: 1, previousLastWallTime: new Date(now - 86_400_000).toISOString(), bootReason: 'power-on' } } : { type: 'vbat-sample', data: { mV: 3800 + seq } }),
    }));
    const sent = await post(`${server.http}/api/v1/events`, { auth: basicAuth('unit-d1', String(added.body['secret'])), body: JSON.stringify({ events }) });
    assert.equal(sent.status, 200);
    const answer = await login(server.http, { name: 'alice', password: 'correct horse battery', next: '/analysis' });
    assert.equal(answer.status, 303);
    assert.equal(answer.headers.get('location'), '/analysis');
    const setCookie = answer.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /HttpOnly/u);
    assert.match(setCookie, /SameSite=Strict/u);
    cookie = setCookie.split(';')[0] ?? '';
  });
  after(() => server.close());

  it('sends pages without a session to the login page, keeping where they were going', async () => {
    for (const path of ['/', '/analysis', '/units/unit-d1']) {
      const answer = await page(server.http, path);
      assert.equal(answer.status, 303, path);
      assert.equal(answer.headers.get('location'), `/login?next=${encodeURIComponent(path)}`);
    }
    const forged = await page(server.http, '/', `${cookie.slice(0, -3)}abc`);
    assert.equal(forged.status, 303, 'a cookie with a broken signature is no session');
  });

  it('refuses a wrong password or an unknown operator, and sets no cookie', async () => {
    for (const form of [{ name: 'alice', password: 'wrong password!' }, { name: 'mallory', password: 'correct horse battery' }, { name: '', password: '' }]) {
      const answer = await login(server.http, form);
      assert.equal(answer.status, 401);
      assert.equal(answer.headers.get('set-cookie'), null);
      assert.match(await answer.text(), /Wrong operator name or password/u);
    }
  });

  it('never redirects off the site after login', async () => {
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const answer = await login(server.http, { name: 'alice', password: 'correct horse battery', next });
      assert.equal(answer.headers.get('location'), '/');
    }
  });

  it('shows a tag with markup as text, and the pages forbid every script', async () => {
    const answer = await page(server.http, '/', cookie);
    assert.equal(answer.status, 200);
    const body = await answer.text();
    assert.ok(!body.includes(XSS_TAG), 'the tag is not in the page as markup');
    assert.ok(body.includes('&lt;script&gt;alert(&quot;tag&quot;)&lt;/script&gt;'));
    assert.match(answer.headers.get('content-security-policy') ?? '', /default-src 'none'/u);
    const unit = await (await page(server.http, '/units/unit-d1', cookie)).text();
    assert.ok(!unit.includes(XSS_TAG));
    const unknown = await page(server.http, `/units/${encodeURIComponent('<b>x</b>')}`, cookie);
    assert.equal(unknown.status, 404);
    assert.ok((await unknown.text()).includes('&lt;b&gt;x&lt;/b&gt;'));
  });

  it('answers the risk, overview and analysis APIs to the admin token or a session, not to anyone', async () => {
    assert.equal((await get(`${server.http}/api/v1/fleet/overview`)).status, 401);
    assert.equal((await get(`${server.http}/api/v1/units/unit-d1/risk`, 'wrong-token')).status, 401);
    const risk = await get(`${server.http}/api/v1/units/unit-d1/risk`, TOKEN);
    assert.equal(risk.status, 200);
    const unit = risk.body['unit'] as { score: number; reasons: { factor: string; count: number }[] };
    assert.equal(unit.reasons.find((reason) => reason.factor === 'power-loss')?.count, 3);
    assert.ok(unit.score > 0);
    assert.equal((await get(`${server.http}/api/v1/units/nobody/risk`, TOKEN)).status, 404);
    const bySession = await fetch(`${server.http}/api/v1/fleet/overview?tag=lab`, { headers: { cookie } });
    const overview = (await bySession.json()) as { counts: { units: number }; units: { id: string }[] };
    assert.equal(overview.counts.units, 1);
    assert.deepEqual(overview.units.map((row) => row.id), ['unit-d1']);
    const analysis = await get(`${server.http}/api/v1/analysis?batch=B1`, TOKEN);
    assert.equal(analysis.status, 200);
    assert.equal(analysis.body['units'], 1);
    const bad = await get(`${server.http}/api/v1/analysis?status=exploded`, TOKEN);
    assert.equal(bad.status, 400);
    assert.equal((bad.body['error'] as { code: string }).code, 'USAGE');
    assert.equal((await get(`${server.http}/api/v1/fleet/overview?silentDays=0`, TOKEN)).status, 400);
  });

  it('imports over HTTP with the admin token only, refusing bad files with the lines named', async () => {
    const csv = 'unit,batch,imei\nunit-d1,B2,861234567890001\n';
    const asOperator = await fetch(`${server.http}/api/v1/imports/production`, { method: 'POST', headers: { cookie, 'content-type': 'text/csv' }, body: csv });
    assert.equal(asOperator.status, 401);
    const ok = await post(`${server.http}/api/v1/imports/production`, { auth: `Bearer ${TOKEN}`, body: csv, contentType: 'text/csv' });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { ok: true, rows: 1, inserted: 1, updated: 0, reworkLinked: 0 });
    const bad = await post(`${server.http}/api/v1/imports/production`, { auth: `Bearer ${TOKEN}`, body: 'unit,imei\nunit-d1,123\n', contentType: 'text/csv' });
    assert.equal(bad.status, 400);
    const error = bad.body['error'] as { code: string; details: { problems: unknown[] } };
    assert.equal(error.code, 'FLEET_IMPORT_BAD_ROWS');
    assert.deepEqual(error.details.problems, [{ line: 2, reason: 'imei "123" is not 15 digits' }]);
    const line = JSON.stringify({ schema: 1, id: 'c0ffee00-0000-4000-8000-000000000001', time: new Date().toISOString(), tool: { name: 'modem-medic', version: '0.1.0' }, command: 'flash', unit: { imei: '861234567890001' }, revision: {}, observations: {}, actions: [], outcome: 'verified' });
    const rework = await post(`${server.http}/api/v1/imports/rework`, { auth: `Bearer ${TOKEN}`, body: `${line}\n`, contentType: 'application/x-ndjson' });
    assert.deepEqual(rework.body, { ok: true, records: 1, imported: 1, duplicates: 0, linked: 1, unlinked: [] });
    const risk = await get(`${server.http}/api/v1/units/unit-d1/risk`, TOKEN);
    assert.equal((risk.body['unit'] as { health: string }).health, 'failed');
  });

  it('logs out: the cookie is cleared', async () => {
    const answer = await fetch(`${server.http}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie } });
    assert.equal(answer.status, 303);
    assert.match(answer.headers.get('set-cookie') ?? '', /Max-Age=0/u);
  });
});
