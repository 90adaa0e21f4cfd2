import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { registerUnit, startFleetServer } from '../../src/fleet/index.js';
import { readStateFile } from '../../src/guard/agent/state-file.js';
import { AtClient } from '../../src/protocols/at/client.js';
import { openSerial } from '../../src/transport/serial.js';
import { scanSegment } from '../../src/guard/journal/record-format.js';
import { listSegments } from '../../src/guard/journal/segments.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { simGuardToml } from '../guard/sim-guard.js';
import { medicBin, runMedic } from '../helpers/medic.js';
import { tempDir, waitFor } from '../helpers/wait.js';

const sims: RunningSimulator[] = [];
const dirs: (() => Promise<void>)[] = [];
after(async () => {
  await Promise.all(sims.map((sim) => sim.stop()));
  await Promise.all(dirs.map((remove) => remove()));
});

async function setup(timeScale = 0.002, extra = ''): Promise<{ sim: RunningSimulator; file: string; journalDir: string }> {
  const dir = await tempDir('medic-guard-cli-');
  dirs.push(dir.remove);
  const sim = await startSimulator({ timeScale, seed: 5, off: true, stateDir: join(dir.path, 'sim') });
  sims.push(sim);
  const journalDir = join(dir.path, 'journal');
  const file = join(dir.path, 'guard.toml');
  await writeFile(file, simGuardToml({ stateDir: sim.info.stateDir, journalDir, timeScale, extra: `[recovery]\nprobe_interval_s = 5\n[vbat]\nsample_interval_s = 30\n${extra}` }));
  return { sim, file, journalDir };
}

async function journalTypes(dir: string): Promise<string[]> {
  const types: string[] = [];
  for (const segment of await listSegments(dir)) types.push(...scanSegment(await readFile(segment.path)).records.map((record) => record.event.type));
  return types;
}



/** `medic guard --config FILE` as a child, once its state file shows the module running and the AT proxy served. */
async function guardServingProxy(file: string, journalDir: string): Promise<{ child: ChildProcess; stderr: () => string; exited: Promise<number | null>; proxy: NonNullable<NonNullable<Awaited<ReturnType<typeof readStateFile>>>['proxy']> }> {
  const child = spawn(process.execPath, [medicBin, 'guard', '--config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { resolve(code); }));
  const proxy = await waitFor(async () => {
    const current = await readStateFile(journalDir);
    return current?.module === 'running' ? current.proxy : undefined;
  }, 30_000, `the guard to serve its AT proxy (stderr: ${stderr})`);
  return { child, stderr: () => stderr, exited, proxy };
}

/** The node flags of the systemd unit in the README (its ExecStart line), so the unit users copy is the one tested. */
async function systemdUnitNodeFlags(): Promise<string[]> {
  const readme = await readFile(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'README.md'), 'utf8');
  const line = /^ExecStart=\/usr\/bin\/node (.*) \/usr\/bin\/medic guard /mu.exec(readme);
  assert.ok(line?.[1] !== undefined, 'the README has the systemd unit\'s ExecStart line');
  const flags = line[1].split(/\s+/u);
  assert.ok(flags.includes('--jitless'), flags.join(' '));
  return flags;
}

describe('medic guard', () => {
  it('powers the module on, watches it, and on SIGTERM powers it down gracefully before exiting 0', { timeout: 90_000 }, async () => {
    const { sim, file, journalDir } = await setup();
    const child = spawn(process.execPath, [medicBin, 'guard', '--config', file, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { resolve(code); }));
    await waitFor(async () => (await readStateFile(journalDir))?.module === 'running', 30_000, `the guard to report the module running (stderr: ${stderr})`);
    assert.equal(sim.state().mode, 'normal');
    // Let it watch for a while: AT probes and an AT+CBC sample.
    await waitFor(async () => (await journalTypes(journalDir)).includes('vbat-sample'), 30_000, 'a VBAT sample');
    child.kill('SIGTERM');
    assert.equal(await exited, 0, `exit code (stderr: ${stderr})`);
    assert.equal(sim.state().mode, 'off');
    const wear = await sim.control.wear();
    assert.equal(wear.ungracefulCuts, 0);
    assert.equal(wear.gracefulPowerOffs, 1);
    const types = await journalTypes(journalDir);
    assert.deepEqual(types.slice(0, 4), ['boot', 'agent-lifecycle', 'agent-lifecycle', 'vbat-sample']);
    assert.deepEqual(types.slice(-2), ['agent-lifecycle', 'shutdown-graceful']);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(lines.at(-1), { ok: true, stoppedBy: 'SIGTERM', poweredDown: true, detail: 'powered off by qpowd, VBAT off' });
    assert.ok(lines.some((line) => line['module'] === 'running'));

    const status = await runMedic(['guard', 'status', '--config', file, '--json']);
    assert.equal(status.code, 0, status.stderr);
    const report = (JSON.parse(status.stdout) as { status: { state: { module: string; agent: string }; agentAlive: boolean; budgets: Record<string, { left: number; max: number }>; lastEvents: { type: string }[] } }).status;
    assert.equal(report.state.module, 'off');
    assert.equal(report.state.agent, 'stopped');
    assert.equal(report.agentAlive, false);
    assert.deepEqual(report.budgets['pwrkey-cycle'], { max: 3, windowMs: 3_600_000, used: 0, left: 3 });
    assert.equal(report.lastEvents.at(-1)?.type, 'shutdown-graceful');

    const human = await runMedic(['guard', 'status', '--config', file]);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /module +off/);
    assert.match(human.stdout, /pwrkey-cycle +3 \/ 3 per 3600 s/);
    assert.match(human.stdout, /shutdown-graceful/);
  });

  it('serves applications through its own pty (no helper process) with the policy applied, and applies the desired configuration after boot', { timeout: 90_000 }, async () => {
    const extra = ['[proxy]', '[[proxy.apps]]', 'name = "connman"', '[proxy.policy.cfun]', 'per_hour = 2', '[[desired_config]]', 'setting = "urcport"', 'value = "usbmodem"'].join('\n');
    const { sim, file, journalDir } = await setup(0.002, extra);
    const { child, stderr, exited, proxy } = await guardServingProxy(file, journalDir);
    const pty = proxy.ptys[0];
    assert.equal(pty?.name, 'connman');
    // The pty is served in the guard's own process: no helper beside it (a python one cost ~9 MB).
    const children = await readFile(`/proc/${child.pid ?? 0}/task/${child.pid ?? 0}/children`, 'utf8');
    assert.equal(children.trim(), '', 'no helper process');
    const app = new AtClient(await openSerial({ path: pty.path }));
    try {
      assert.deepEqual((await app.send('AT+CFUN?')).lines, ['+CFUN: 1']);
      // R&D commands never reach the module (ec25 sheet §3.9).
      const refused = await app.send('AT+QPRTPARA=3').catch((error: unknown) => error);
      assert.ok(refused instanceof Error);
      // The desired configuration was applied once after boot: query, then set.
      await waitFor(async () => (await journalTypes(journalDir)).includes('config-drift'), 20_000, 'the drift of urcport to be recorded');
      assert.deepEqual((await app.send('AT+QURCCFG="urcport"')).lines, ['+QURCCFG: "urcport","usbmodem"']);
      // Two CFUN changes an hour: the third is refused with the reason.
      await app.send('AT+CFUN=0');
      await app.send('AT+CFUN=1');
      const third = await app.send('AT+CFUN=0').catch((error: unknown) => error);
      assert.ok(third instanceof Error, 'the third change in the hour is refused');
      assert.equal((await sim.control.wear()).cfunTransitions, 2);
    } finally {
      await app.close();
    }
    const human = await runMedic(['guard', 'status', '--config', file]);
    assert.match(human.stdout, new RegExp(`AT port  ${pty.path.replace(/[/]/g, '\\/')} for connman`));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, `exit code (stderr: ${stderr()})`);
    const types = await journalTypes(journalDir);
    assert.ok(types.includes('policy-refusal'), types.join(' '));
    assert.equal(types.filter((type) => type === 'cfun-transition').length >= 3, true);
    assert.equal((await sim.control.wear()).ungracefulCuts, 0);
  });

  it('serves applications on its Unix socket alone with apps = []', { timeout: 90_000 }, async () => {
    const dir = await tempDir();
    const socketPath = join(dir.path, 'at.sock');
    try {
      const { file, journalDir } = await setup(0.002, ['[proxy]', 'apps = []', `socket = "${socketPath}"`].join('\n'));
      const { child, stderr, exited, proxy } = await guardServingProxy(file, journalDir);
      assert.equal(proxy.socket, socketPath);
      assert.deepEqual(proxy.ptys, []);
      const socket = createConnection(socketPath);
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      await new Promise<void>((resolve) => socket.once('connect', () => { resolve(); }));
      socket.write('AT+CFUN?\r');
      await waitFor(() => /\r\nOK\r\n/.test(answer), 10_000, `an answer on the socket (got ${JSON.stringify(answer)})`);
      assert.match(answer, /\+CFUN: 1/);
      socket.destroy();
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr());
    } finally {
      await dir.remove();
    }
  });

  it('run with the node flags of the README\'s systemd unit (--jitless…), sends its journal to the fleet server: every event arrives, in order, and status shows the uplink', { timeout: 90_000 }, async () => {
    const server = await startFleetServer({ port: 0, mqttPort: 0, adminToken: 'guard-cli-token' });
    try {
      const { secret } = await registerUnit(server.store, { id: 'sim-unit-1' });
      const { file, journalDir } = await setup(0.002, ['[uplink]', 'transport = "http"', `url = "${server.http}"`, `secret = "${secret}"`].join('\n'));
      // Without a JIT there is no WebAssembly, so nothing on the guard's path may need it (fetch does).
      const child = spawn(process.execPath, [...(await systemdUnitNodeFlags()), medicBin, 'guard', '--config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { resolve(code); }));
      await waitFor(async () => (await readStateFile(journalDir))?.uplink?.lastSuccessAt, 30_000, `a first delivery (stderr: ${stderr})`);
      assert.doesNotMatch(stderr, /warning/iu, 'node starts without a flag warning in the service log');
      const human = await runMedic(['guard', 'status', '--config', file]);
      assert.match(human.stdout, /uplink +http:\/\/127\.0\.0\.1:\d+: connected/);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      const local = (await journalTypes(journalDir)).length;
      const response = await fetch(`${server.http}/api/v1/units/sim-unit-1/events?limit=1000`, { headers: { authorization: 'Bearer guard-cli-token' } });
      const body = (await response.json()) as { events: { seq: number; type: string }[] };
      assert.deepEqual(body.events.map((event) => event.seq), Array.from({ length: local }, (_, index) => index + 1), 'every event once, in order');
      assert.equal(body.events.at(-1)?.type, 'shutdown-graceful', 'the last event of the run went out before the guard exited');
    } finally {
      await server.close();
    }
  });

  it('refuses a configuration with an unknown key, naming it (exit 2)', async () => {
    const { file } = await setup(0.002, '[timings]\npwrkey_on = 600');
    const run = await runMedic(['guard', '--config', file]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /timings\.pwrkey_on: unknown setting — did you mean "pwrkey_on_ms"\?/);
  });

  it('refuses a time scale that differs from the simulator\'s (exit 2)', async () => {
    const { file } = await setup();
    await writeFile(file, (await readFile(file, 'utf8')).replace('time_scale = 0.002', 'time_scale = 0.01'));
    const run = await runMedic(['guard', '--config', file]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /time scale 0\.002 .* time_scale = 0\.01/);
    assert.match(run.stderr, /what to do: Set time_scale = 0\.002/);
  });

  it('status without a state says so', async () => {
    const { file } = await setup();
    const run = await runMedic(['guard', 'status', '--config', file]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /no state in/);
  });
});
