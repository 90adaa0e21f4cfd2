// bench/flash: `medic flash` of a full-size package (~90 MB of images, ec25 sheet §2.6) into the
// simulated module behind QFirehose's usb2tcp bridge, the link shaped to USB 2.0 high-speed
// (~48 MB/s practical, edl sheet §4). Twice, each on a new simulated module in 9008:
//  - the NAND at the sheet's typical cell timings (time scale 1: 200 µs per page program, 2 ms per
//    block erase; 25 µs per page read, UNVERIFIED). The simulated programmer, like a NAND Firehose
//    programmer with its one payload buffer, takes in a payload and then programs it: over USB the
//    link time and the chip's busy time (which the simulator reports) add up. Over the bridge
//    TCP's buffers bring the next payload while the chip programs, so they overlap in part;
//  - the NAND costing nothing: the link and the host alone, the figure for the ≥ 90 % target.
// Beside them, in the same run, a bare byte copy of the same bytes through the same shaped link.
//   npm run build && node dist/bench/flash.js [bytesPerSecond] [full|small] [folder|zip]
// `zip` flashes the package as Quectel ships it, a .zip read without unpacking: the inflate
// streams are the host's, so its CPU and peak RSS are in the figures.
// `medic flash` runs in a process of its own (measured-medic.ts), as a user runs it; the simulator
// and the shaper too, so CPU seconds and peak RSS are the flashing host's alone.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import yazl from 'yazl';
import { fileURLToPath } from 'node:url';
import { SimControlClient } from '../src/sim/control/client.js';
import type { SimNand } from '../src/sim/control/api.js';
import { startChild, stopChildren } from './children.js';

const rate = Number(process.argv[2] ?? 48_000_000);
/** `small` shows whether peak RSS grows with the package (it should not). */
const size = process.argv[3] === 'small' ? 'small' : 'full';
const form = process.argv[4] === 'zip' ? 'zip' : 'folder';
const revision = 'EC25AFAR05A04M4G';
const here = dirname(fileURLToPath(import.meta.url));
const medic = join(here, '..', '..', 'bin', 'medic.js');
const measured = join(here, 'measured-medic.js');
const shaper = join(here, 'shaped-link.js');

interface Cost {
  readonly code: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

interface FlashRun {
  readonly cost: Cost;
  readonly phases: PhaseClock['phases'];
  /** Bytes the plan moved over the link (backup reads, program data, verify reads). */
  readonly linkBytes: number;
  /** Module seconds the chip was busy during the flash, by operation. */
  readonly busy: SimNand['busyMs'];
}

/** Runs node ARGS to the end, each stdout line to `onLine` as it comes; stderr is shown only if it fails. */
async function run(args: readonly string[], onLine: (line: string) => void = () => undefined): Promise<void> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let pending = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
      onLine(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${String(code)}:\n${stderr}`);
}

/** Where a flash spends its time: seconds and link bytes per phase, from the --json progress lines as they arrive. */
class PhaseClock {
  readonly phases = new Map<string, { seconds: number; bytes: number }>();
  #current: { phase: string; since: number; bytesAtStart: number } | undefined;
  #lastBytes = 0;

  progress(phase: string, bytesDone: number): void {
    const now = performance.now();
    if (this.#current?.phase !== phase) {
      this.#close(now);
      this.#current = { phase, since: now, bytesAtStart: this.#lastBytes };
    }
    this.#lastBytes = bytesDone;
  }

  end(): void {
    this.#close(performance.now());
    this.#current = undefined;
  }

  #close(now: number): void {
    if (this.#current === undefined) return;
    const entry = this.phases.get(this.#current.phase) ?? { seconds: 0, bytes: 0 };
    entry.seconds += (now - this.#current.since) / 1000;
    entry.bytes += this.#lastBytes - this.#current.bytesAtStart;
    this.phases.set(this.#current.phase, entry);
  }
}

async function imageBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(dir, entry.name))).size;
  }
  return total;
}

/** The package folder as one .zip with its folder inside, deflated as Quectel's are. */
async function zipFolder(dir: string, zipPath: string): Promise<void> {
  const zip = new yazl.ZipFile();
  const add = async (folder: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) await add(full, `${prefix}${entry.name}/`);
      else zip.addFile(full, `${prefix}${entry.name}`);
    }
  };
  await add(dir, `${revision}/`);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath));
}

async function flashOnce(work: string, pkg: string, instantNand: boolean): Promise<FlashRun> {
  const sim = await startChild<{ tcp: string; control: string }>([medic, 'sim', '--scenario', 'edl-corrupt', '--revision', revision, '--time-scale', '1', '--seed', '1', '--state', join(work, 'sim'), '--tcp', '127.0.0.1:0', '--json']);
  const control = new SimControlClient(sim.control);
  if (instantNand) await control.addEdlFaults({ pageProgramUs: 0, blockEraseUs: 0, pageReadUs: 0 });
  const link = await startChild<{ listening: number }>([shaper, '0', sim.tcp, String(rate)]);
  const before = (await control.state()).nand.busyMs;
  const clock = new PhaseClock();
  let cost: Cost | undefined;
  let linkBytes = 0;
  const started = performance.now();
  await run([measured, 'flash', pkg, '--tcp', `127.0.0.1:${link.listening}`, '--module-revision', revision, '--backup-dir', join(work, 'backups'), '--json'], (text) => {
    const line = JSON.parse(text) as { progress?: { phase: string; bytesDone: number; bytesTotal: number }; ok?: boolean; cost?: Cost };
    if (line.progress !== undefined) {
      // Before the first step: starting node and medic, the package check, Sahara, configure.
      if (clock.phases.size === 0 && linkBytes === 0) clock.phases.set('start (node, package check, Sahara, configure)', { seconds: (performance.now() - started) / 1000, bytes: 0 });
      clock.progress(line.progress.phase, line.progress.bytesDone);
      linkBytes = line.progress.bytesTotal;
    } else if (line.ok !== undefined) clock.end();
    if (line.cost !== undefined) cost = line.cost;
  });
  const after = (await control.state()).nand.busyMs;
  await stopChildren();
  if (cost === undefined) throw new Error('medic flash ended without its cost line');
  return { cost, phases: clock.phases, linkBytes, busy: { program: after.program - before.program, erase: after.erase - before.erase, read: after.read - before.read } };
}

/** Seconds to push `bytes` through a shaped link into a sink (first byte written → last byte read). */
async function bareCopy(bytes: number): Promise<number> {
  let received = 0;
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const sink = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= bytes) finished();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const address = sink.address();
  const sinkPort = typeof address === 'object' && address !== null ? address.port : 0;
  const link = await startChild<{ listening: number }>([shaper, '0', `127.0.0.1:${sinkPort}`, String(rate)]);
  const socket = createConnection({ host: '127.0.0.1', port: link.listening });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    Readable.from((function* () {
      for (let sent = 0; sent < bytes; sent += chunk.length) yield sent + chunk.length <= bytes ? chunk : chunk.subarray(0, bytes - sent);
    })()).pipe(socket, { end: false }).on('error', reject);
    void done.then(resolve);
  });
  const seconds = (performance.now() - started) / 1000;
  socket.destroy();
  sink.close();
  await stopChildren();
  return seconds;
}

const mbps = (bytes: number, seconds: number): number => bytes / seconds / 1e6;
const percent = (part: number, whole: number): string => `${((part / whole) * 100).toFixed(0)} %`;

const work = await mkdtemp(join(tmpdir(), 'medic-bench-flash-'));
try {
  const pkg = join(work, revision);
  process.stderr.write(`making a ${size} package…\n`);
  await run([medic, 'sim', 'make-package', pkg, '--revision', revision, '--size', size]);
  const images = await imageBytes(join(pkg, 'update'));
  let target = pkg;
  if (form === 'zip') {
    process.stderr.write('zipping it…\n');
    target = `${pkg}.zip`;
    await zipFolder(pkg, target);
  }
  process.stderr.write(`flashing ${(images / 1e6).toFixed(1)} MB of images through a ${(rate / 1e6).toFixed(0)} MB/s link, the NAND at the sheet's timings…\n`);
  const sheet = await flashOnce(join(work, 'sheet'), target, false);
  process.stderr.write('again, the NAND costing nothing…\n');
  const instant = await flashOnce(join(work, 'instant'), target, true);
  const bareSeconds = await bareCopy(sheet.linkBytes);

  const capacity = rate / 1e6;
  const linkSeconds = sheet.linkBytes / rate;
  const busySeconds = (sheet.busy.program + sheet.busy.erase + sheet.busy.read) / 1000;
  const series = linkSeconds + busySeconds;
  const bareRate = mbps(sheet.linkBytes, bareSeconds);
  const phaseTable = (flash: FlashRun): void => {
    for (const [phase, { seconds, bytes }] of flash.phases) {
      const moved = bytes > 0 ? `${(bytes / 1e6).toFixed(1).padStart(6)} MB at ${mbps(bytes, seconds).toFixed(1).padStart(4)} MB/s (${percent(mbps(bytes, seconds), capacity)} of the link)` : '';
      console.log(`      ${phase.padEnd(46)} ${seconds.toFixed(2).padStart(6)} s  ${moved}`);
    }
  };
  const streaming = (flash: FlashRun): string => {
    const moving = [...flash.phases].filter(([phase]) => ['backup', 'program', 'program-sbl', 'verify'].includes(phase));
    const bytes = moving.reduce((sum, [, entry]) => sum + entry.bytes, 0);
    const seconds = moving.reduce((sum, [, entry]) => sum + entry.seconds, 0);
    return `${mbps(bytes, seconds).toFixed(1)} MB/s, ${percent(mbps(bytes, seconds), capacity)} of the shaped capacity`;
  };
  console.log(`medic flash, ${size} package as a ${form} (${(images / 1e6).toFixed(1)} MB of images; ${(sheet.linkBytes / 1e6).toFixed(1)} MB over the link with backup reads and verify)`);
  console.log(`  shaped link             : ${capacity.toFixed(1)} MB/s (USB 2.0 high-speed, practical)`);
  console.log(`  bare copy, same link    : ${bareRate.toFixed(1)} MB/s (${percent(bareRate, capacity)} of the shaped capacity)`);
  console.log('  NAND at the sheet\'s timings:');
  console.log(`    medic flash           : ${mbps(sheet.linkBytes, sheet.cost.seconds).toFixed(1)} MB/s over ${sheet.cost.seconds.toFixed(1)} s (${percent(mbps(sheet.linkBytes, sheet.cost.seconds), capacity)} of the shaped capacity)`);
  console.log(`    the chip was busy     : ${busySeconds.toFixed(1)} s (program ${(sheet.busy.program / 1000).toFixed(1)} s, erase ${(sheet.busy.erase / 1000).toFixed(1)} s, read ${(sheet.busy.read / 1000).toFixed(1)} s)`);
  console.log(`    link and chip         : ${linkSeconds.toFixed(1)} s on the link, ${busySeconds.toFixed(1)} s of chip: ${Math.max(linkSeconds, busySeconds).toFixed(1)} s if they overlapped fully, ${series.toFixed(1)} s in series; medic flash took ${sheet.cost.seconds.toFixed(1)} s`);
  console.log('                            (in series is USB with one payload buffer; the bridge\'s TCP buffers carry the next payload while the chip programs)');
  console.log(`    host CPU, peak RSS    : ${sheet.cost.cpuSeconds.toFixed(1)} s, ${sheet.cost.peakRssMb.toFixed(0)} MB`);
  phaseTable(sheet);
  console.log('  NAND costing nothing (the link and the host alone):');
  console.log(`    medic flash           : ${mbps(instant.linkBytes, instant.cost.seconds).toFixed(1)} MB/s over ${instant.cost.seconds.toFixed(1)} s (${percent(mbps(instant.linkBytes, instant.cost.seconds), capacity)} of the shaped capacity, ${percent(mbps(instant.linkBytes, instant.cost.seconds), bareRate)} of the bare copy)`);
  console.log(`    while data moves      : ${streaming(instant)} (backup reads, program, read-back; target ≥ 90 %)`);
  console.log(`    host CPU, peak RSS    : ${instant.cost.cpuSeconds.toFixed(1)} s, ${instant.cost.peakRssMb.toFixed(0)} MB (target < 100 MB)`);
  phaseTable(instant);
} finally {
  await stopChildren();
  await rm(work, { recursive: true, force: true, maxRetries: 5 });
}
