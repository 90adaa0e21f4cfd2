// `medic fleet demo` end to end: simulated modules with real guards uplinking to a fleet server,
// checked through the server's own APIs as an operator would, while the demo keeps serving.
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { medicBin, runMedic } from '../helpers/medic.js';

/** A seed whose cuts-power unit breaks (9008) within 8 days and is reflashed (found by trying seeds). */
const DAMAGING_SEED = '12';

interface DemoReport {
  readonly ok: boolean;
  readonly dashboard: string;
  readonly http: string;
  readonly adminToken: string;
  readonly login: { readonly operator: string; readonly password: string };
  readonly units: readonly { readonly id: string; readonly habit: string; readonly reflashes?: number }[];
  readonly summary: { readonly units: number; readonly failed: number; readonly findings: readonly string[] };
}

interface RunningDemo {
  readonly report: DemoReport;
  readonly stderr: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
}

function startDemo(args: readonly string[]): Promise<RunningDemo> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [medicBin, 'fleet', 'demo', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number>((done) => {
      child.on('exit', (code, signal) => {
        done(code ?? (signal === null ? 1 : 128));
      });
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo printed no report within 120 s\n${stderr}`));
    }, 120_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0];
      if (!stdout.includes('\n') || line === undefined) return;
      clearTimeout(timer);
      resolve({
        report: JSON.parse(line) as DemoReport,
        stderr: () => stderr,
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${code}) before its report\n${stderr}`));
    });
  });
}

async function get<T>(demo: DemoReport, path: string): Promise<T> {
  const response = await fetch(`${demo.http}${path}`, { headers: { authorization: `Bearer ${demo.adminToken}` } });
  assert.equal(response.status, 200, `GET ${path}`);
  return (await response.json()) as T;
}

interface OverviewUnit {
  readonly id: string;
  readonly events: number;
  readonly reflashes: number;
  readonly counts: Readonly<Record<string, number>>;
}

interface UnitEvents {
  readonly events: readonly { readonly type: string; readonly data: Record<string, unknown> }[];
}

test('medic fleet demo: guards of simulated units fill the fleet server, the analysis sees the cuts', { timeout: 150_000 }, async () => {
  const demo = await startDemo(['--units', '4', '--days', '8', '--seed', DAMAGING_SEED, '--json', '--port', '0']);
  try {
    const { report } = demo;
    assert.equal(report.ok, true, demo.stderr());
    assert.match(report.dashboard, /^http:\/\/127\.0\.0\.1:\d+\/$/u);
    assert.equal(report.login.operator, 'demo');
    assert.deepEqual(new Set(report.units.map((unit) => unit.habit)), new Set(['cuts-power', 'cycles-cfun', 'weak-supply', 'behaves']));

    const overview = await get<{ units: readonly OverviewUnit[] }>(report, '/api/v1/fleet/overview');
    assert.deepEqual(overview.units.map((unit) => unit.id).sort(), report.units.map((unit) => unit.id).sort());
    for (const unit of overview.units) assert.ok(unit.events > 0, `${unit.id} has events on the server`);

    for (const unit of report.units) {
      const { events } = await get<UnitEvents>(report, `/api/v1/units/${unit.id}/events?limit=10000`);
      // Whole agents, one run per simulated day (the host boots in the morning, shuts down at night).
      const started = events.filter((event) => event.type === 'agent-lifecycle' && event.data['phase'] === 'started').length;
      assert.ok(started >= 6, `${unit.id}: the guard agent ran each day it was not waiting for a technician: ${started}`);
      const losses = events.filter((event) => event.type === 'power-loss-ungraceful').length;
      if (unit.habit === 'cuts-power') assert.ok(losses >= 3, `${unit.id} (cuts power) shows ungraceful power losses: ${losses}`);
      if (unit.habit === 'behaves') {
        assert.equal(losses, 0, `${unit.id} behaves: no ungraceful power loss`);
        assert.ok(events.filter((event) => event.type === 'shutdown-graceful').length >= 7, `${unit.id} was powered down in order`);
      }
      if (unit.habit === 'cycles-cfun') assert.ok(events.filter((event) => event.type === 'cfun-transition').length >= 8 * 8 * 2, `${unit.id} toggles CFUN through the proxy`);
    }

    const reflashed = report.units.filter((unit) => (unit.reflashes ?? 0) > 0);
    assert.ok(reflashed.some((unit) => unit.habit === 'cuts-power'), 'with this seed a cuts-power unit ended in 9008 and was reflashed');
    for (const unit of reflashed) {
      const { events } = await get<UnitEvents>(report, `/api/v1/units/${unit.id}/events?limit=10000`);
      assert.ok(events.some((event) => event.type === 'module-in-edl'), `${unit.id}: the guard reported 9008`);
      const risk = await get<{ unit: { reflashes: number; needsReflash: boolean } }>(report, `/api/v1/units/${unit.id}/risk`);
      assert.ok(risk.unit.reflashes >= 1, `${unit.id}: the rework record is tied to the unit`);
      assert.equal(risk.unit.needsReflash, true);
    }
    // The printed login opens the dashboard; its failure-analysis page names the cause.
    const login = await fetch(`${report.http}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ name: report.login.operator, password: report.login.password }).toString() });
    assert.equal(login.status, 303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await fetch(`${report.http}/analysis`, { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /ungraceful power loss/u);
    assert.ok(report.summary.failed >= 1);
    assert.ok(report.summary.findings.some((finding) => finding.includes('ungraceful power losses')), report.summary.findings.join('\n'));
  } finally {
    assert.equal(await demo.stop(), 0, 'SIGTERM stops the demo cleanly');
  }
});

test('medic fleet demo --exit: one JSON line, exit 0', { timeout: 90_000 }, async () => {
  const run = await runMedic(['fleet', 'demo', '--units', '1', '--days', '2', '--exit', '--json', '--port', '0'], { timeoutMs: 80_000 });
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout.trim()) as DemoReport;
  assert.match(report.dashboard, /^http:\/\/127\.0\.0\.1:\d+\/$/u);
  assert.equal(report.units.length, 1);
  assert.match(run.stderr, /demo-01 \([a-z-]+\): day 2\/2/u);
});

test('medic fleet demo refuses bad options with exit 2 and a hint', async () => {
  for (const args of [['--units', '0'], ['--days', 'many'], ['--port', '70000'], ['--exit', '--keep-running'], ['--time-scale', '5']]) {
    const run = await runMedic(['fleet', 'demo', '--json', ...args]);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    const error = JSON.parse(run.stdout.trim()) as { ok: boolean; error: { hint?: string } };
    assert.equal(error.ok, false);
    assert.ok((error.error.hint ?? '').length > 0);
  }
});
