// `medic sim` and `medic sim ctl` as child processes, as a user or a script runs them.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { access, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { SimInfo } from '../../src/sim/control/api.js';
import { newStateDir } from '../helpers/sim-fixture.js';

const run = promisify(execFile);
const MEDIC = join(process.cwd(), 'bin/medic.js');

interface Child {
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly firstLine: Promise<string>;
  readonly exit: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

function startMedic(args: readonly string[]): Child {
  const child = spawn(process.execPath, [MEDIC, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let lineResolve: (line: string) => void = () => undefined;
  const firstLine = new Promise<string>((resolve) => {
    lineResolve = resolve;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const end = stdout.indexOf('\n');
    if (end >= 0) lineResolve(stdout.slice(0, end));
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      lineResolve(stdout);
      resolve(code);
    });
  });
  return { stdout: () => stdout, stderr: () => stderr, firstLine, exit, kill: (signal) => child.kill(signal) };
}

async function ctl(dir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MEDIC, 'sim', 'ctl', '--state', dir, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('medic sim (child process)', () => {
  it('--json prints exactly one JSON line once ready, serves `medic sim ctl`, and stops cleanly on SIGTERM', async () => {
    const dir = await newStateDir();
    const medic = startMedic(['sim', '--json', '--time-scale', '0.01', '--state', dir, '--seed', '5']);
    try {
      const info = JSON.parse(await medic.firstLine) as SimInfo;
      assert.equal(info.stateDir, dir);
      assert.equal(info.mode, 'normal');
      assert.deepEqual(Object.keys(info.ports).sort(), ['at', 'dm', 'modem', 'nmea']);
      assert.equal(info.ports.at, join(dir, 'dev/ttyUSB2'));
      assert.equal(info.sysfs, join(dir, 'sys'));
      assert.match(info.control, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(info.seed, 5);
      const onDisk = JSON.parse(await readFile(join(dir, 'sim.json'), 'utf8')) as SimInfo;
      assert.equal(onDisk.control, info.control);

      const state = await ctl(dir, '--json', 'state');
      assert.equal(state.code, 0, state.stderr);
      assert.equal((JSON.parse(state.stdout) as { mode: string }).mode, 'normal');
      const human = await ctl(dir, 'state');
      assert.match(human.stdout, /^mode normal, USB 2c7c:0125$/m);
      assert.match(human.stdout, /STATUS low \(running\)/);

      assert.equal((await ctl(dir, 'pwrkey', '200')).code, 0);
      const wear = await ctl(dir, '--json', 'wear');
      assert.equal((JSON.parse(wear.stdout) as { shortPwrkeyPulses: number }).shortPwrkeyPulses, 1);
      assert.equal((await ctl(dir, 'fault', 'add', 'at-silent')).code, 0);
      assert.match((await ctl(dir, 'state')).stdout, /faults: at-silent/);
      assert.equal((await ctl(dir, 'fault', 'clear')).code, 0);
      assert.equal((await ctl(dir, 'vbat', '3.7')).code, 0);
      assert.equal((await ctl(dir, 'usb-boot', 'high')).code, 0);
      assert.equal((await ctl(dir, 'usb-boot', 'sideways')).code, 2);
      assert.equal((await ctl(dir, 'fault', 'add', 'meltdown')).code, 2);
      assert.equal((await ctl(dir, 'frobnicate')).code, 2);
      assert.match((await ctl(dir, 'events')).stdout, /PWRKEY low 200 ms/);

      medic.kill('SIGTERM');
      assert.equal(await medic.exit, 0);
      assert.equal(medic.stdout().split('\n').filter((line) => line !== '').length, 1, 'exactly one line on stdout');
      assert.ok(!(await exists(join(dir, 'sim.json'))), 'sim.json removed');
      assert.ok(!(await exists(join(dir, 'dev/ttyUSB2'))), 'links removed');
      assert.ok(!(await exists(join(dir, 'sys/bus/usb/devices/1-1'))), 'sysfs device removed');
      assert.ok(await exists(join(dir, 'module.json')), 'module state kept');
      const stopped = await ctl(dir, 'state');
      assert.notEqual(stopped.code, 0);
      assert.match(stopped.stderr, /medic sim/);
    } finally {
      medic.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--tcp reports the usb2tcp bridge in sim.json; `ctl edl-fault` sets and clears download faults', async () => {
    const dir = await newStateDir();
    const medic = startMedic(['sim', '--json', '--scenario', 'edl-corrupt', '--tcp', '127.0.0.1:0', '--time-scale', '0.01', '--state', dir]);
    try {
      const info = JSON.parse(await medic.firstLine) as SimInfo;
      assert.equal(info.mode, 'edl');
      assert.deepEqual(Object.keys(info.ports), ['edl']);
      assert.match(info.tcp ?? '', /^127\.0\.0\.1:\d+$/);
      const cut = await ctl(dir, '--json', 'edl-fault', 'cut', '4096');
      assert.equal(cut.code, 0, cut.stderr);
      assert.deepEqual(JSON.parse(cut.stdout), { cutPowerAfterBytes: 4096 });
      assert.equal((await ctl(dir, 'edl-fault', 'nak', 'program,erase')).code, 0);
      assert.equal((await ctl(dir, 'edl-fault', 'slow', '900', '6000')).code, 0);
      const list = await ctl(dir, '--json', 'edl-fault', 'list');
      assert.deepEqual(JSON.parse(list.stdout), { cutPowerAfterBytes: 4096, nak: ['program', 'erase'], nand: { pageProgramUs: 900, blockEraseUs: 6000 } });
      assert.equal((await ctl(dir, 'edl-fault', 'nak', 'frobnicate')).code, 2);
      assert.equal((await ctl(dir, 'edl-fault', 'sideways')).code, 2);
      const cleared = await ctl(dir, '--json', 'edl-fault', 'clear');
      assert.deepEqual(JSON.parse(cleared.stdout), {});
      medic.kill('SIGTERM');
      assert.equal(await medic.exit, 0);
    } finally {
      medic.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--off is ready at once, off; SIGINT stops it', async () => {
    const dir = await newStateDir();
    const medic = startMedic(['sim', '--json', '--off', '--time-scale', '0.01', '--state', dir]);
    try {
      const info = JSON.parse(await medic.firstLine) as SimInfo;
      assert.equal(info.mode, 'off');
      assert.deepEqual(info.ports, {});
      const after = await ctl(dir, '--json', 'pwrkey', '600');
      assert.equal((JSON.parse(after.stdout) as { mode: string }).mode, 'booting');
      medic.kill('SIGINT');
      assert.equal(await medic.exit, 0);
    } finally {
      medic.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without --json it talks to people on stderr and keeps stdout empty', async () => {
    const dir = await newStateDir();
    const medic = startMedic(['sim', '--time-scale', '0.01', '--state', dir]);
    try {
      const until = Date.now() + 30_000;
      while (!medic.stderr().includes('Ctrl-C') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.match(medic.stderr(), /ready: mode normal/);
      assert.match(medic.stderr(), /at +.*dev\/ttyUSB2/);
      medic.kill('SIGTERM');
      assert.equal(await medic.exit, 0);
      assert.equal(medic.stdout(), '');
      assert.match(medic.stderr(), /stopped; module state saved/);
    } finally {
      medic.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--geometry and --bad-blocks make a module with that NAND, shown in sim.json; it keeps them; bad values exit 2', async () => {
    const dir = await newStateDir();
    try {
      const first = startMedic(['sim', '--json', '--off', '--time-scale', '0.01', '--state', dir, '--geometry', 'p2K_b128K', '--bad-blocks', '57,12']);
      try {
        const info = JSON.parse(await first.firstLine) as SimInfo;
        // Making the module (its factory image) is no device time: a flash must not pay for it.
        assert.deepEqual(info.nand, { geometry: 'p2K_b128K', pageSize: 2048, blockCount: 4096, badBlocks: [12, 57], busyMs: { program: 0, erase: 0, read: 0 } });
        assert.deepEqual((JSON.parse(await readFile(join(dir, 'sim.json'), 'utf8')) as SimInfo).nand.badBlocks, [12, 57]);
        first.kill('SIGINT');
        assert.equal(await first.exit, 0);
      } finally {
        first.kill('SIGKILL');
      }
      const again = startMedic(['sim', '--json', '--off', '--time-scale', '0.01', '--state', dir]);
      try {
        const info = JSON.parse(await again.firstLine) as SimInfo;
        assert.deepEqual([info.nand.geometry, info.nand.badBlocks], ['p2K_b128K', [12, 57]], 'a module keeps its flash across restarts');
        again.kill('SIGINT');
        assert.equal(await again.exit, 0);
      } finally {
        again.kill('SIGKILL');
      }
      const other = startMedic(['sim', '--json', '--off', '--time-scale', '0.01', '--state', dir, '--geometry', 'p4K_b256K']);
      assert.equal(await other.exit, 2);
      assert.match(other.stderr(), /p2K_b128K NAND/);
      assert.match(other.stderr(), /fresh state directory/);
      for (const [flag, value, message] of [['--bad-blocks', '0,5', /block 0/], ['--bad-blocks', 'some', /not understood/], ['--geometry', 'p8K_b512K', /unknown NAND geometry/]] as const) {
        const bad = startMedic(['sim', '--json', '--off', '--time-scale', '0.01', '--state', join(dir, `new-${value}`), flag, value]);
        assert.equal(await bad.exit, 2, `${flag} ${value}`);
        assert.match(bad.stderr(), message);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad options with exit code 2 and a hint', async () => {
    const medic = startMedic(['sim', '--json', '--imei', '123', '--time-scale', '0.01']);
    assert.equal(await medic.exit, 2);
    assert.match(medic.stderr(), /IMEI/);
    const scale = startMedic(['sim', '--time-scale', 'fast']);
    assert.equal(await scale.exit, 2);
    const noState = await run(process.execPath, [MEDIC, 'sim', 'ctl', 'state']).then(
      () => 0,
      (error: unknown) => (error as { code: number }).code,
    );
    assert.equal(noState, 2);
  });
});
