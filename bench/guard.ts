// bench/guard: what the field agent costs the product's host, and what its AT proxy adds.
//   npm run build && node dist/bench/guard.js [idleSeconds] [commands]
// A simulated module (its own process, time scale 1: datasheet timings) and `medic guard` (its own
// process, with the AT proxy serving one application pty) as a product would run them. Idle: the
// guard's CPU share and RSS (with any process it started) over `idleSeconds` once the module runs,
// read from /proc, beside an idle bare `node` in the same run: the floor any agent written for
// Node starts from. Latency: `AT` round trips through the guard's pty, beside the same commands
// sent directly to the module's second AT port (ttyUSB3) of the same simulator, in the same run.
// Three times: as `medic guard` starts by default and as the README's systemd unit starts it
// (node --jitless, …), both with backend "sim" (the guard powers the module on and polls STATUS over the simulator's
// control interface, an HTTP client a product does not have); then as a product host without
// GPIO runs it under that unit: backend "none", the module already on, STATUS from its USB device
// in the sysfs tree, AT on its port, nothing else of the simulator in the guard. That guard finds
// the module running within a second or two, so its idle window opens right after its start: its
// peak holds the heap V8 grew while loading the guard's modules and gives back ~10 s later (the
// figure at the end), which the "sim" guards spend powering the module on, before their window.
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readStateFile } from '../src/guard/agent/state-file.js';
import { AtClient } from '../src/protocols/at/client.js';
import { openSerial } from '../src/transport/serial.js';
import { sleep } from '../src/core/time.js';
import { SimControlClient } from '../src/sim/control/client.js';
import { spawnChild, startChild, stopChildren } from './children.js';

const idleSeconds = Number(process.argv[2] ?? 60);
const commands = Number(process.argv[3] ?? 500);
const medic = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'medic.js');
const ticksPerSecond = 100; // USER_HZ on Linux

/** The pids of `pid` and every process below it: the guard starts none while idle, and would be charged for any. */
async function tree(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const below = await Promise.all(children.trim().split(/\s+/).filter(Boolean).map((child) => tree(Number(child))));
  return [pid, ...below.flat()];
}

interface Usage {
  readonly cpuTicks: number;
  readonly rssKb: number;
  /** Anonymous memory: what the host cannot get back by dropping pages of files mapped from disk. */
  readonly anonKb: number;
  /** RSS of each process of the tree, the first being the one asked for. */
  readonly byProcess: readonly number[];
}

async function usage(pid: number): Promise<Usage> {
  let cpuTicks = 0;
  let anonKb = 0;
  const byProcess: number[] = [];
  for (const each of await tree(pid)) {
    const stat = await readFile(`/proc/${each}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpuTicks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    const status = await readFile(`/proc/${each}/status`, 'utf8').catch(() => '');
    byProcess.push(Number(/VmRSS:\s+(\d+)/u.exec(status)?.[1] ?? 0));
    anonKb += Number(/RssAnon:\s+(\d+)/u.exec(status)?.[1] ?? 0);
  }
  return { cpuTicks, rssKb: byProcess.reduce((sum, kb) => sum + kb, 0), anonKb, byProcess };
}

const mb = (kb: number): string => (kb / 1024).toFixed(0);

async function roundTrips(path: string): Promise<number> {
  const client = new AtClient(await openSerial({ path }));
  try {
    await client.sync();
    const times: number[] = [];
    for (let i = 0; i < commands; i++) {
      const started = performance.now();
      await client.send('AT');
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] ?? Number.NaN;
  } finally {
    await client.close();
  }
}

interface GuardFigures {
  readonly cpuShare: number;
  readonly peak: Usage;
  readonly end: Usage;
  readonly directMs: number;
  readonly proxiedMs: number;
}

interface GuardRun {
  /** "sim": the guard drives power through the simulator; "none": the module is on before it starts. */
  readonly backend: 'sim' | 'none';
  readonly nodeFlags: readonly string[];
}

/** The guard's configuration for `run` over the simulator in `simDir`, whose module is off ("sim") or running ("none"). */
function guardToml(work: string, simDir: string, run: GuardRun): string {
  const gpio = run.backend === 'sim'
    ? ['[gpio]', 'backend = "sim"', `state_dir = "${simDir}"`]
    : ['[module]', `at_port = "${join(simDir, 'dev', 'ttyUSB2')}"`, `sysfs_root = "${join(simDir, 'sys')}"`, '[gpio]', 'backend = "none"'];
  return ['unit = "bench-1"', '[journal]', `dir = "${join(work, 'journal')}"`, ...gpio, '[proxy]', '[[proxy.apps]]', 'name = "bench"'].join('\n');
}

/** Backend "none" has no power line: the module is powered on by the simulator itself and the guard started once it runs. */
async function moduleRunning(simDir: string): Promise<void> {
  const control = await SimControlClient.fromStateDir(simDir);
  for (let waited = 0; ; waited += 200) {
    const state = await control.state();
    if (state.mode === 'normal' && state.firmware.rdy) return;
    if (waited > 60_000) throw new Error('the simulated module did not boot');
    await sleep(200);
  }
}

/** One guard over its own simulator: started, idle for `idleSeconds`, AT round trips, stopped. */
async function measureGuard(work: string, run: GuardRun): Promise<GuardFigures> {
  const simDir = join(work, 'sim');
  await startChild([medic, 'sim', ...(run.backend === 'sim' ? ['--off'] : []), '--time-scale', '1', '--seed', '1', '--state', simDir, '--json']);
  if (run.backend === 'none') {
    process.stderr.write('powering the simulated module on by itself (backend "none" has no power line)…\n');
    await moduleRunning(simDir);
  }
  const config = join(work, 'guard.toml');
  await writeFile(config, guardToml(work, simDir, run));
  const guard = spawnChild([...run.nodeFlags, medic, 'guard', '--config', config]);
  const flags = run.nodeFlags.length === 0 ? '' : `, node ${run.nodeFlags.join(' ')}`;
  process.stderr.write(run.backend === 'sim' ? `powering the simulated module on through the guard (datasheet timings${flags})…\n` : `the guard finding the running module by its USB (backend "none"${flags})…\n`);
  let pty: string | undefined;
  for (let waited = 0; pty === undefined; waited += 200) {
    if (waited > 120_000) throw new Error('the guard did not report the module running');
    await sleep(200);
    const state = await readStateFile(join(work, 'journal'));
    if (state?.module === 'running') pty = state.proxy?.ptys[0]?.path;
  }
  const guardPid = guard.pid ?? 0;
  process.stderr.write(`idle for ${idleSeconds} s…\n`);
  const before = await usage(guardPid);
  let peak = before;
  const started = performance.now();
  while (performance.now() - started < idleSeconds * 1000) {
    await sleep(1000);
    const now = await usage(guardPid);
    if (now.rssKb > peak.rssKb) peak = now;
  }
  const end = await usage(guardPid);
  const cpuShare = (end.cpuTicks - before.cpuTicks) / ticksPerSecond / ((performance.now() - started) / 1000);
  process.stderr.write(`${commands} AT round trips each way…\n`);
  const directMs = await roundTrips(join(work, 'sim', 'dev', 'ttyUSB3'));
  const proxiedMs = await roundTrips(pty);
  await stopChildren();
  return { cpuShare, peak, end, directMs, proxiedMs };
}

async function bareNode(): Promise<Usage> {
  const child = spawnChild(['-e', 'setInterval(() => undefined, 60_000)']);
  await sleep(1000);
  const figures = await usage(child.pid ?? 0);
  await stopChildren();
  return figures;
}

function report(title: string, figures: GuardFigures): void {
  console.log(`  ${title}`);
  console.log(`    idle CPU            : ${(figures.cpuShare * 100).toFixed(2)} % of one core (target < 1 %)`);
  console.log(`    RSS                 : ${mb(figures.peak.rssKb)} MB peak, the guard and any child (target < 60 MB); ${mb(figures.end.rssKb)} MB at the end`);
  console.log(`      by process        : ${figures.peak.byProcess.map(mb).join(' MB, ')} MB at the peak; anonymous ${mb(figures.peak.anonKb)} MB, the rest mapped from disk (node's binary, libraries)`);
  console.log(`    AT, direct (ttyUSB3): ${figures.directMs.toFixed(2)} ms median round trip`);
  console.log(`    AT, through the pty : ${figures.proxiedMs.toFixed(2)} ms median round trip (${(figures.proxiedMs - figures.directMs).toFixed(2)} ms added by the proxy)`);
}

const systemdUnit = ['--jitless', '--no-expose-wasm', '--max-semi-space-size=1'];
const work = await mkdtemp(join(tmpdir(), 'medic-bench-guard-'));
try {
  const plain = await measureGuard(join(work, 'plain'), { backend: 'sim', nodeFlags: [] });
  const jitless = await measureGuard(join(work, 'jitless'), { backend: 'sim', nodeFlags: systemdUnit });
  const product = await measureGuard(join(work, 'none'), { backend: 'none', nodeFlags: systemdUnit });
  const bare = await bareNode();
  console.log(`medic guard with the simulated module (time scale 1), ${idleSeconds} s idle, ${commands} AT commands each way`);
  report('as `medic guard` starts by default (backend "sim")', plain);
  report(`as the README's systemd unit starts it (node ${systemdUnit.join(' ')}; backend "sim")`, jitless);
  report('on a product host without GPIO, under that unit (backend "none": STATUS from USB presence)', product);
  console.log(`  bare node, idle, same run: ${mb(bare.rssKb)} MB (anonymous ${mb(bare.anonKb)} MB): the floor of any agent on Node ${process.versions.node}`);
} finally {
  await stopChildren();
  await rm(work, { recursive: true, force: true, maxRetries: 5 });
}
