import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { setOperator, startFleetServer, type FleetServer } from '../../../src/fleet/index.js';
import type { EventInput, RiskEvent } from '../../../src/guard/events/index.js';
import { basicAuth, post } from '../fleet-fixture.js';

// End to end in the browser operators use: Debian's chromium driven by playwright-core
// (ecosystem-aesthetics.md §2.9: no `playwright install`, the distro browser via executablePath).
const CHROMIUM = process.env['MEDIC_TEST_CHROMIUM'] ?? '/usr/bin/chromium';
const TOKEN = 'test-admin-token-e2e-0123456789';
const XSS_TAG = '<img src=x onerror=alert(1)>';

function eventsFor(unit: string, inputs: readonly EventInput[]): RiskEvent[] {
  const start = Date.now() - inputs.length * 600_000;
  return inputs.map((input, index) => ({ schema: 1, unit, bootSession: 'b4c1a7de-5f55-4a59-8f0b-6f4f3d1e2a90', seq: index + 1, wallTime: new Date(start + index * 600_000).toISOString(), monoMs: index * 600_000, ...input }));
}

describe('the dashboard in headless Chromium', () => {
  let server: FleetServer;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  before(async () => {
    server = await startFleetServer({ port: 0, mqttPort: 0, adminToken: TOKEN });
    await setOperator(server.store.db, 'operator-1', 'a long enough password');
    for (const [id, tags] of [['unit-e2e', ['lab', XSS_TAG]], ['unit-other', ['field']]] as const) {
      const added = await post(`${server.http}/api/v1/units`, { auth: `Bearer ${TOKEN}`, body: JSON.stringify({ id, batch: 'B-E2E', tags }) });
      assert.equal(added.status, 201);
      const inputs: EventInput[] = [
        { type: 'boot', data: { reason: 'power-on' } },
        { type: 'firmware-revision-change', data: { to: 'EC25EFAR06A01M4G' } },
        ...[3812, 3790, 3805, 3760, 3821].map((mV): EventInput => ({ type: 'vbat-sample', data: { mV } })),
        { type: 'vbat-dip', data: { mV: 3180, thresholdMv: 3300, durationMs: 40 } },
        { type: 'boot', data: { reason: 'unexpected-rdy', detail: 'RDY with no reset requested' } },
        { type: 'cfun-transition', data: { from: 1, to: 0, by: 'connman', decision: 'allowed' } },
      ];
      const sent = await post(`${server.http}/api/v1/events`, { auth: basicAuth(id, String(added.body['secret'])), body: JSON.stringify({ events: eventsFor(id, inputs) }) });
      assert.equal(sent.status, 200);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    page = await browser.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });
  after(async () => {
    await browser.close();
    await server.close();
  });

  it('sends a visitor without a session to the login page, and refuses a wrong password', async () => {
    await page.goto(`${server.http}/units/unit-e2e`);
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.fill('#name', 'operator-1');
    await page.fill('#password', 'not the password');
    await page.click('button[type=submit]');
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await page.textContent('[role=alert]'), 'Wrong operator name or password.');
  });

  it('logs in, lands where the visitor was going, and the overview lists the unit with its tag as text', async () => {
    await page.goto(`${server.http}/units/unit-e2e`);
    await page.fill('#name', 'operator-1');
    await page.fill('#password', 'a long enough password');
    await Promise.all([page.waitForURL(`${server.http}/units/unit-e2e`), page.click('button[type=submit]')]);
    await page.goto(`${server.http}/`);
    assert.equal(await page.textContent('h1'), 'Fleet overview');
    const row = page.locator('#units tbody tr', { hasText: 'unit-e2e' });
    assert.equal(await row.count(), 1);
    assert.ok((await row.innerText()).includes(XSS_TAG), 'the tag shows literally');
    assert.equal(await page.locator('#units img').count(), 0, 'no element was made from the tag');
    assert.deepEqual(dialogs, []);
  });

  it('filters the overview by tag', async () => {
    await page.selectOption('select[name=tag]', 'field');
    await Promise.all([page.waitForURL(/tag=field/u), page.click('form.filters button[type=submit]')]);
    const ids = await page.locator('#units tbody tr td:first-child a').allInnerTexts();
    assert.deepEqual(ids, ['unit-other']);
  });

  it('opens the unit page: events, the VBAT chart, boots with reasons', async () => {
    await page.goto(`${server.http}/`);
    await Promise.all([page.waitForURL(`${server.http}/units/unit-e2e`), page.click('#units a:text-is("unit-e2e")')]);
    assert.match((await page.textContent('#unit-id')) ?? '', /unit-e2e/u);
    const timeline = await page.locator('#timeline tbody tr').allInnerTexts();
    assert.equal(timeline.length, 10);
    assert.ok(timeline.some((line) => line.includes('vbat-sample') && line.includes('3821 mV')));
    assert.equal(await page.locator('#vbat-chart svg path').count(), 1, 'the VBAT line');
    assert.equal(await page.locator('#vbat-chart svg circle').count(), 1, 'the dip');
    const box = await page.locator('#vbat-chart svg').boundingBox();
    assert.ok(box !== null && box.width > 300 && box.height > 80, 'the chart has a size on the page');
    const boots = await page.locator('#boots tbody tr').allInnerTexts();
    assert.ok(boots[0]?.includes('unexpected-rdy'));
    const reasons = await page.locator('#reasons tbody tr').allInnerTexts();
    assert.ok(reasons.some((line) => line.startsWith('unexpected reboots') && line.includes('\t1\t')));
  });

  it('opens the failure-analysis page with its tables and charts', async () => {
    await Promise.all([page.waitForURL(`${server.http}/analysis`), page.click('header nav a:text-is("Failure analysis")')]);
    assert.equal(await page.textContent('h1'), 'Failure analysis');
    assert.equal(await page.locator('#factors tbody tr').count(), 5);
    assert.deepEqual(await page.locator('#batches tbody td:first-child').allInnerTexts(), ['B-E2E']);
    assert.ok((await page.locator('svg.chart').count()) >= 3);
  });

  it('logs out, and the pages want a login again', async () => {
    await Promise.all([page.waitForURL(/\/login$/u), page.click('header button:text-is("Log out")')]);
    await page.goto(`${server.http}/analysis`);
    assert.equal(new URL(page.url()).pathname, '/login');
  });
});
