// Screenshots of the fleet dashboard for the README: a fleet server in memory, a synthetic fleet
// of units with habits (src/fleet/analytics/synthetic-fleet.ts), headless Debian Chromium.
// Run after a build: `npx tsc -p . && node scripts/dashboard-screenshots.mjs [OUT_DIR]`.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { importProduction, importRework, seedSyntheticFleet, setOperator, startFleetServer } from '../dist/src/fleet/index.js';

const out = process.argv[2] ?? 'docs/screenshots';
const chromiumPath = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
await mkdir(out, { recursive: true });

const server = await startFleetServer({ port: 0, mqttPort: 0, adminToken: 'screenshots-admin-token' });
let browser;
try {
  const fleet = await seedSyntheticFleet(server.store, { units: 120, days: 60, asOf: new Date(), seed: 6 });
  await importProduction(server.store.db, fleet.productionCsv);
  await importRework(server.store.db, fleet.reworkLog);
  await setOperator(server.store.db, 'ops', 'screenshots-password');
  console.error(`seeded ${fleet.units.length} units, ${fleet.events} events`);

  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`${server.http}/login`);
  await page.fill('#name', 'ops');
  await page.fill('#password', 'screenshots-password');
  await Promise.all([page.waitForURL(`${server.http}/`), page.click('button[type=submit]')]);
  await page.screenshot({ path: join(out, 'overview.png'), fullPage: false });

  const failed = fleet.units.find((unit) => unit.habit === 'cuts-power' && unit.failedAt !== undefined && !unit.silent) ?? fleet.units[0];
  await page.goto(`${server.http}/units/${encodeURIComponent(failed.id)}`);
  await page.setViewportSize({ width: 1360, height: 1700 });
  await page.screenshot({ path: join(out, 'unit.png'), fullPage: false });

  await page.goto(`${server.http}/analysis`);
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.screenshot({ path: join(out, 'analysis.png'), fullPage: true });
  console.error(`screenshots in ${out}: overview.png, unit.png (${failed.id}), analysis.png`);
} finally {
  await browser?.close();
  await server.close();
}
