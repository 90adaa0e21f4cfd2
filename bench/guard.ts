// bench/guard: what the field agent costs the product's host, and what its AT proxy adds.
//   npm run build && node dist/bench/guard.js [idleSeconds] [commands]
// A simulated module (its own process, time scale 1: datasheet timings) and `medic guard` (its own
// process, with the AT proxy) as a product would run them. Idle: the guard's CPU share and RSS
// (with its pty helper) over `idleSeconds` once the module runs, read from /proc. Latency: `AT`
// round trips through the guard's pty, beside the same commands sent directly to the module's
// second AT port (ttyUSB3) of the same simulator, in the same run.
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readStateFile } from '../src/guard/agent/state-file.js';
import { AtClient } from '../src/protocols/at/client.js';
import { openSerial } from '../src/transport/serial.js';
import { sleep } from '../src/core/time.js';
import { spawnChild, startChild, stopChildren } from './children.js';

const idleSeconds = Number(process.argv[2] ?? 60);
const commands = Number(process.argv[3] ?? 500);
const medic = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'medic.js');
const ticksPerSecond = 100; // USER_HZ on Linux

/** The pids of `pid` and every process below it (the guard's python pty helper). */
async function tree(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const below = await Promise.all(children.trim().split(/\s+/).filter(Boolean).map((child) => tree(Number(child))));
  return [pid, ...below.flat()];
}

async function usage(pid: number): Promise<{ cpuTicks: number; rssKb: number }> {
  let cpuTicks = 0;
  let rssKb = 0;
  for (const each of await tree(pid)) {
    const stat = await readFile(`/proc/${each}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpuTicks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    const status = await readFile(`/proc/${each}/status`, 'utf8').catch(() => '');
    rssKb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return { cpuTicks, rssKb };
}

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

const work = await mkdtemp(join(tmpdir(), 'medic-bench-guard-'));
try {
  await startChild([medic, 'sim', '--off', '--time-scale', '1', '--seed', '1', '--state', join(work, 'sim'), '--json']);
  const config = join(work, 'guard.toml');
  await writeFile(config, ['unit = "bench-1"', '[journal]', `dir = "${join(work, 'journal')}"`, '[gpio]', 'backend = "sim"', `state_dir = "${join(work, 'sim')}"`, '[proxy]', '[[proxy.apps]]', 'name = "bench"'].join('\n'));
  const guard = spawnChild([medic, 'guard', '--config', config]);
  process.stderr.write('powering the simulated module on through the guard (datasheet timings)…\n');
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
  let peakRssKb = before.rssKb;
  const started = performance.now();
  while (performance.now() - started < idleSeconds * 1000) {
    await sleep(1000);
    peakRssKb = Math.max(peakRssKb, (await usage(guardPid)).rssKb);
  }
  const after = await usage(guardPid);
  const cpuShare = (after.cpuTicks - before.cpuTicks) / ticksPerSecond / ((performance.now() - started) / 1000);

  process.stderr.write(`${commands} AT round trips each way…\n`);
  const direct = await roundTrips(join(work, 'sim', 'dev', 'ttyUSB3'));
  const proxied = await roundTrips(pty);
  console.log(`medic guard with the simulated module (time scale 1), ${idleSeconds} s idle`);
  console.log(`  idle CPU            : ${(cpuShare * 100).toFixed(2)} % of one core (target < 1 %)`);
  console.log(`  RSS                 : ${(peakRssKb / 1024).toFixed(0)} MB peak, guard + pty helper (target < 60 MB)`);
  console.log(`  AT, direct (ttyUSB3): ${direct.toFixed(2)} ms median round trip`);
  console.log(`  AT, through the pty : ${proxied.toFixed(2)} ms median round trip`);
  console.log(`  added by the proxy  : ${(proxied - direct).toFixed(2)} ms per command`);
} finally {
  await stopChildren();
  await rm(work, { recursive: true, force: true, maxRetries: 5 });
}
