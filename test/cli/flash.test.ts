import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makePackage } from '../../src/sim/package/index.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { runMedic } from '../helpers/medic.js';
import { tempDir } from '../helpers/wait.js';

// medic flash end to end: the CLI as a child process, the simulated module on a real pty or
// behind the usb2tcp bridge on real TCP, a synthetic package made by the simulator's generator.
const revision = 'EC25AFAR05A04M4G';
let work: Awaited<ReturnType<typeof tempDir>>;
let samePackage: string;
let otherBaseline: string;
const running: RunningSimulator[] = [];

before(async () => {
  work = await tempDir();
  samePackage = join(work.path, revision);
  await makePackage(samePackage, { revision, size: 'small' });
  otherBaseline = join(work.path, 'EC25AFAR08A02M4G');
  await makePackage(otherBaseline, { revision: 'EC25AFAR08A02M4G', size: 'small' });
});
after(async () => {
  await Promise.all(running.map((sim) => sim.stop()));
  await work.remove();
});

async function simulator(options: Parameters<typeof startSimulator>[0]): Promise<RunningSimulator> {
  const sim = await startSimulator({ timeScale: 0.01, seed: 21, revision, ...options });
  running.push(sim);
  return sim;
}

describe('medic flash', () => {
  it('brings back the field report\'s first case (stuck in 9008): backup first, flash, verify, and it boots', async () => {
    const sim = await simulator({ scenario: 'edl-corrupt' });
    await sim.waitFor((state) => state.mode === 'edl', 20_000, '9008');
    const edl = sim.info.ports.edl;
    assert.ok(edl);
    const backups = join(work.path, 'backups-1');
    const result = await runMedic(['flash', samePackage, '--port', edl, '--module-revision', revision, '--backup-dir', backups], { timeoutMs: 180_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Flashed and verified: EC25AFAR05A04M4G/m);
    assert.match(result.stdout, /Calibration backup: .*backups-1/);
    const units = await readdir(backups);
    assert.equal(units.length, 1);
    const runs = await readdir(join(backups, units[0] ?? ''));
    const files = await readdir(join(backups, units[0] ?? '', runs[0] ?? ''));
    assert.ok(files.includes('efs2.bin') && files.includes('backup.json'), files.join(', '));
    const up = await sim.waitFor((state) => state.mode === 'normal' && state.firmware.rdy, 60_000, 'the module to boot after the flash');
    assert.equal(up.health.bootChain, 'ok');
  });

  it('refuses another baseline (R05 → R08) before writing anything, exit 4', async () => {
    const sim = await simulator({ scenario: 'edl-corrupt' });
    await sim.waitFor((state) => state.mode === 'edl', 20_000, '9008');
    const edl = sim.info.ports.edl;
    assert.ok(edl);
    const result = await runMedic(['flash', otherBaseline, '--port', edl, '--module-revision', revision, '--backup-dir', join(work.path, 'backups-2')], { timeoutMs: 120_000 });
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /baseline/i);
    assert.match(result.stderr, /what to do:/);
    assert.equal((await sim.control.state()).health.bootChain, 'corrupt', 'nothing was written');
  });

  it('flashes a module behind the usb2tcp bridge over TCP', async () => {
    const sim = await simulator({ scenario: 'edl-corrupt', tcp: '127.0.0.1:0' });
    await sim.waitFor((state) => state.mode === 'edl', 20_000, '9008');
    assert.ok(sim.info.tcp);
    const result = await runMedic(['flash', samePackage, '--tcp', sim.info.tcp, '--module-revision', revision, '--backup-dir', join(work.path, 'backups-3'), '--json'], { timeoutMs: 180_000 });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { progress?: { bytesDone: number; bytesTotal: number }; ok?: boolean; result?: { outcome: string } });
    const last = lines.at(-1);
    assert.equal(last?.ok, true);
    assert.equal(last.result?.outcome, 'flashed-and-verified');
    const progress = lines.flatMap((line) => (line.progress === undefined ? [] : [line.progress]));
    assert.ok(progress.length > 2, 'JSON progress lines');
    assert.equal(progress.at(-1)?.bytesDone, progress.at(-1)?.bytesTotal, 'the last progress line shows the whole plan done');
    await sim.waitFor((state) => state.mode === 'normal', 60_000, 'the module to boot after the flash');
  });

  it('switches a running module to download mode itself (DIAG on the DM port), reading its revision and IMEI first', async () => {
    const sim = await simulator({ scenario: 'healthy', imei: '866758040000008' });
    await sim.waitFor((state) => state.mode === 'normal' && state.firmware.rdy, 20_000, 'boot');
    const { dm, at } = sim.info.ports;
    assert.ok(dm !== undefined && at !== undefined);
    const backups = join(work.path, 'backups-4');
    const result = await runMedic(['flash', samePackage, '--port', dm, '--at-port', at, '--backup-dir', backups], { timeoutMs: 180_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Module 866758040000008 runs EC25AFAR05A04M4G/);
    assert.deepEqual(await readdir(backups), ['imei-866758040000008']);
    await sim.waitFor((state) => state.mode === 'normal' && state.firmware.rdy, 60_000, 'the module to boot after the flash');
  });

  it('medic backup saves the calibration (read twice, compared) and leaves the module in 9008; --restore-calibration writes it back', async () => {
    const sim = await simulator({ scenario: 'edl-corrupt' });
    await sim.waitFor((state) => state.mode === 'edl', 20_000, '9008');
    const edl = sim.info.ports.edl;
    assert.ok(edl);
    const backups = join(work.path, 'backups-5');
    const saved = await runMedic(['backup', samePackage, '--port', edl, '--imei', '866758040000008', '--backup-dir', backups], { timeoutMs: 120_000 });
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stdout, /^Saved \d+ partition\(s\), [\d.]+ MB, each read twice and compared: .*imei-866758040000008/m);
    assert.match(saved.stdout, /stays in download mode/);
    const [run] = await readdir(join(backups, 'imei-866758040000008'));
    const folder = join(backups, 'imei-866758040000008', run ?? '');
    assert.ok((await readdir(folder)).includes('efs2.bin'));
    assert.equal((await sim.control.state()).mode, 'edl');
    // The programmer still runs (backup left it so): no package needed to restore.
    const restored = await runMedic(['flash', '--port', edl, '--imei', '866758040000008', '--restore-calibration', folder], { timeoutMs: 120_000 });
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /^Calibration restored from .*imei-866758040000008/m);
  });

  it('explains a missing package and a wrong command line', async () => {
    assert.equal((await runMedic(['flash', '--port', '/dev/null'])).code, 2);
    const both = await runMedic(['flash', samePackage, '--port', '/dev/null', '--tcp', '127.0.0.1:1']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /exactly one of --port or --tcp/);
  });
});
