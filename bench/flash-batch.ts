// bench/flash-batch: a rework bench's batch, `medic flash --all` of N simulated modules in 9008
// (each its own simulator process, over its pty as qcserial's ttyUSB0 would be), beside one
// `medic flash --port` of a single module of the same kind in the same run. The host's peak
// RSS is the figure to watch (issue #3: < 100 MB whatever the package size): the batch runs its
// units in one process, so whatever a flash holds per unit is multiplied here.
//   npm run build && node dist/bench/flash-batch.js [units] [full|small] [jobs]
// No link shaping (ptys move bytes as fast as the two processes do); the NAND at the sheet's
// timings. On a 2-core machine the simulators compete with the flasher for the CPU, so the time
// says little about a real bench; memory does not depend on it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { luhnCheckDigit } from '../src/sim/identity.js';
import { startChild, stopChildren } from './children.js';

const units = Number(process.argv[2] ?? 10);
const size = process.argv[3] === 'small' ? 'small' : 'full';
const jobs = Number(process.argv[4] ?? units);
const revision = 'EC25AFAR05A04M4G';
const here = dirname(fileURLToPath(import.meta.url));
const medic = join(here, '..', '..', 'bin', 'medic.js');
const measured = join(here, 'measured-medic.js');

interface Cost {
  readonly code: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

interface SimInfo {
  readonly sysfs: string;
  readonly ports: { readonly edl?: string };
}

/** Runs `node ARGS` to the end; resolves with the cost line measured-medic prints last. */
async function measure(args: readonly string[]): Promise<Cost> {
  const child = spawn(process.execPath, [measured, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-20_000)));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  await new Promise((resolve) => child.once('exit', resolve));
  const line = stdout.trim().split('\n').reverse().find((each) => each.startsWith('{"cost"'));
  if (line === undefined) throw new Error(`medic ${args.join(' ')} printed no cost line:\n${stdout.slice(-2000)}\n${stderr}`);
  const { cost } = JSON.parse(line) as { cost: Cost };
  if (cost.code !== 0) throw new Error(`medic ${args.join(' ')} exited with ${cost.code}:\n${stdout.slice(-2000)}\n${stderr}`);
  return cost;
}

/** Unit `index`'s simulator, in 9008, at its own USB path and with its own IMEI. */
function startUnit(work: string, index: number, usbPath: string): Promise<SimInfo> {
  const body = `86675804${String(index).padStart(6, '0')}`;
  const imei = `${body}${luhnCheckDigit(body)}`;
  return startChild<SimInfo>([medic, 'sim', '--scenario', 'edl-corrupt', '--revision', revision, '--time-scale', '1', '--seed', String(index + 1), '--usb-path', usbPath, '--imei', imei, '--state', join(work, `unit-${index}`), '--json']);
}

const work = await mkdtemp(join(tmpdir(), 'medic-bench-batch-'));
try {
  const pkg = join(work, revision);
  process.stderr.write(`making a ${size} package…\n`);
  await new Promise((resolve) => spawn(process.execPath, [medic, 'sim', 'make-package', pkg, '--revision', revision, '--size', size], { stdio: 'ignore' }).once('exit', resolve));

  process.stderr.write('one module, medic flash --port…\n');
  const single = await startUnit(work, 99, '2-1');
  const one = await measure(['flash', pkg, '--port', single.ports.edl ?? '', '--module-revision', revision, '--backup-dir', join(work, 'backups-one'), '--json']);
  await stopChildren();

  process.stderr.write(`${units} modules, medic flash --all --jobs ${jobs}…\n`);
  const sims = await Promise.all(Array.from({ length: units }, (_, index) => startUnit(work, index, `1-${index + 1}`)));
  const batch = await measure(['flash', pkg, '--all', '--jobs', String(jobs), ...sims.flatMap((sim) => ['--sysfs-root', sim.sysfs]), '--module-revision', revision, '--backup-dir', join(work, 'backups'), '--log-dir', join(work, 'logs'), '--json']);
  await stopChildren();

  console.log(`medic flash of a ${size} package, modules simulated at the sheet's NAND timings over ptys`);
  console.log(`  one module (--port)              : ${one.seconds.toFixed(1)} s, host CPU ${one.cpuSeconds.toFixed(1)} s, peak RSS ${one.peakRssMb.toFixed(0)} MB`);
  console.log(`  ${String(units).padStart(2)} modules (--all --jobs ${String(jobs).padEnd(2)})    : ${batch.seconds.toFixed(1)} s, host CPU ${batch.cpuSeconds.toFixed(1)} s, peak RSS ${batch.peakRssMb.toFixed(0)} MB (target < 100 MB)`);
  console.log(`  the batch's RSS above the single : ${(batch.peakRssMb - one.peakRssMb).toFixed(0)} MB, ${((batch.peakRssMb - one.peakRssMb) / Math.max(1, Math.min(units, jobs) - 1)).toFixed(1)} MB per unit flashed at the same time`);
} finally {
  await stopChildren();
  await rm(work, { recursive: true, force: true, maxRetries: 5 });
}
