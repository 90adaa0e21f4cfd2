// Issue #6's end to end: a simulated module, a real `medic guard` process powering it and sending
// its journal over MQTT (the fleet server's embedded broker, the unit's own login), and an
// operator who sees the unit and its events in the dashboard in headless Chromium.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { registerUnit, setOperator, startFleetServer } from '../../src/fleet/index.js';
import { readStateFile } from '../../src/guard/agent/state-file.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { simGuardToml } from '../guard/sim-guard.js';
import { medicBin } from '../helpers/medic.js';
import { tempDir, waitFor } from '../helpers/wait.js';

const CHROMIUM = process.env['MEDIC_TEST_CHROMIUM'] ?? '/usr/bin/chromium';
const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

describe('simulator + medic guard + medic fleet serve', () => {
  it('the dashboard shows the unit the guard runs, with the boot and the VBAT samples it recorded', { timeout: 120_000 }, async () => {
    const dir = await tempDir('medic-e2e-fleet-');
    cleanups.push(dir.remove);
    const server = await startFleetServer({ port: 0, mqttPort: 0, adminToken: 'e2e-admin-token-0123456789' });
    cleanups.push(() => server.close());
    const { secret } = await registerUnit(server.store, { id: 'sim-unit-1', batch: 'B-E2E' });
    await setOperator(server.store.db, 'bench', 'a long enough password');
    const sim: RunningSimulator = await startSimulator({ timeScale: 0.002, seed: 5, off: true, stateDir: join(dir.path, 'sim') });
    cleanups.push(() => sim.stop());
    const journalDir = join(dir.path, 'journal');
    const file = join(dir.path, 'guard.toml');
    const uplink = ['[vbat]', 'sample_interval_s = 20', '[uplink]', 'transport = "mqtt"', `url = "${server.mqtt}"`, `secret = "${secret}"`].join('\n');
    await writeFile(file, simGuardToml({ stateDir: sim.info.stateDir, journalDir, timeScale: 0.002, extra: uplink }));
    const guard = spawn(process.execPath, [medicBin, 'guard', '--config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    guard.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => guard.on('exit', (code) => { resolve(code); }));
    cleanups.push(async () => {
      if (guard.exitCode === null) guard.kill('SIGKILL');
      await exited;
    });
    // Running, and at least two VBAT samples delivered over MQTT (stored by the server).
    await waitFor(async () => {
      const state = await readStateFile(journalDir);
      return state?.module === 'running' && state.uplink?.connected === true && (await server.store.db.query('SELECT count(*)::int AS n FROM events WHERE unit = $1 AND type = $2', ['sim-unit-1', 'vbat-sample']))[0]?.['n'] as number >= 2;
    }, 60_000, 'the guard\'s events at the server').catch(async (error: unknown) => {
      assert.fail(`${String(error)}\nstate: ${JSON.stringify(await readStateFile(journalDir))}\nguard: ${stderr}`);
    });

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    cleanups.push(() => browser.close());
    const page = await browser.newPage();
    await page.goto(`${server.http}/`);
    await page.fill('#name', 'bench');
    await page.fill('#password', 'a long enough password');
    await Promise.all([page.waitForURL(`${server.http}/`), page.click('button[type=submit]')]);
    const row = page.locator('#units tbody tr', { hasText: 'sim-unit-1' });
    assert.equal(await row.count(), 1, 'the overview lists the unit');
    assert.match(await row.innerText(), /B-E2E/);
    await Promise.all([page.waitForURL(`${server.http}/units/sim-unit-1`), row.locator('a', { hasText: 'sim-unit-1' }).click()]);
    const body = await page.innerText('body');
    assert.match(body, /power-on/, 'the boot the guard recorded, with its reason');
    assert.match(body, /\b3\.\d{2,3} V\b|\b3[0-9]{3} mV\b/, 'VBAT as the module reported it (AT+CBC)');
    assert.ok((await page.locator('svg').count()) >= 1, 'the VBAT chart is drawn');

    guard.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    // The last events of the run (agent stopping, shutdown-graceful) went out before the guard exited.
    const last = await server.store.db.query('SELECT type FROM events WHERE unit = $1 ORDER BY seq DESC LIMIT 1', ['sim-unit-1']);
    assert.equal(last[0]?.['type'], 'shutdown-graceful');
  });
});
