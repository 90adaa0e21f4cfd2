// bench/flash: `medic flash` of a full-size package (~90 MB of images, ec25 sheet §2.6) into the
// simulated module behind QFirehose's usb2tcp bridge, the link shaped to USB 2.0 high-speed
// (~48 MB/s practical, edl sheet §4) and the NAND at the sheet's typical timings (time scale 1:
// 200 µs per page program, 2 ms per block erase). Beside it, in the same run, a bare byte copy of the
// same number of bytes through the same shaped link: the ceiling any flasher could reach.
//   npm run build && node dist/bench/flash.js [bytesPerSecond] [full|small]
// The simulator and the shaper run as their own processes, so CPU seconds and peak RSS are the
// flashing host's alone (this process runs `medic flash` in-process through the CLI's main()).
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import { startChild, stopChildren } from './children.js';

const rate = Number(process.argv[2] ?? 48_000_000);
/** `small` shows whether peak RSS grows with the package (it should not). */
const size = process.argv[3] === 'small' ? 'small' : 'full';
const revision = 'EC25AFAR05A04M4G';
const here = dirname(fileURLToPath(import.meta.url));
const medic = join(here, '..', '..', 'bin', 'medic.js');
const shaper = join(here, 'shaped-link.js');
async function run(args: readonly string[]): Promise<void> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${String(code)}`);
}

async function imageBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(dir, entry.name))).size;
  }
  return total;
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
  return seconds;
}

const work = await mkdtemp(join(tmpdir(), 'medic-bench-flash-'));
try {
  const pkg = join(work, revision);
  process.stderr.write(`making a ${size} package…\n`);
  await run([medic, 'sim', 'make-package', pkg, '--revision', revision, '--size', size]);
  const images = await imageBytes(join(pkg, 'update'));

  const sim = await startChild<{ tcp: string }>([medic, 'sim', '--scenario', 'edl-corrupt', '--revision', revision, '--time-scale', '1', '--seed', '1', '--state', join(work, 'sim'), '--tcp', '127.0.0.1:0', '--json']);
  const link = await startChild<{ listening: number }>([shaper, '0', sim.tcp, String(rate)]);

  process.stderr.write(`flashing ${(images / 1e6).toFixed(1)} MB of images through a ${(rate / 1e6).toFixed(0)} MB/s link…\n`);
  let output = '';
  const io = {
    stdout: new Writable({ write(chunk: Buffer, _encoding, callback) { output += chunk.toString(); callback(); } }),
    stderr: new Writable({ write(_chunk, _encoding, callback) { callback(); } }),
    stdin: Readable.from([]),
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const code = await main(['flash', pkg, '--tcp', `127.0.0.1:${link.listening}`, '--module-revision', revision, '--backup-dir', join(work, 'backups'), '--json'], io);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  if (code !== 0) throw new Error(`medic flash exited ${code}: ${output.split('\n').filter(Boolean).at(-1) ?? ''}`);
  const progress = output.split('\n').filter((line) => line.startsWith('{"progress"')).map((line) => (JSON.parse(line) as { progress: { bytesTotal: number } }).progress);
  const linkBytes = progress.at(-1)?.bytesTotal ?? images;

  const bareSeconds = await bareCopy(linkBytes);
  const capacity = rate / 1e6;
  const flashRate = linkBytes / seconds / 1e6;
  const bareRate = linkBytes / bareSeconds / 1e6;
  console.log(`medic flash, ${size} package (${(images / 1e6).toFixed(1)} MB of images; ${(linkBytes / 1e6).toFixed(1)} MB over the link with backup reads and verify)`);
  console.log(`  shaped link           : ${capacity.toFixed(1)} MB/s (USB 2.0 high-speed, practical)`);
  console.log(`  bare copy, same link  : ${bareRate.toFixed(1)} MB/s (${((bareRate / capacity) * 100).toFixed(0)} % of the shaped capacity)`);
  console.log(`  medic flash           : ${flashRate.toFixed(1)} MB/s (${((flashRate / capacity) * 100).toFixed(0)} % of the shaped capacity, ${((flashRate / bareRate) * 100).toFixed(0)} % of the bare copy)`);
  console.log(`  total time            : ${seconds.toFixed(1)} s (bare copy ${bareSeconds.toFixed(1)} s)`);
  console.log(`  host CPU              : ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
  console.log(`  host peak RSS         : ${peakRssMb.toFixed(0)} MB`);
} finally {
  await stopChildren();
  await rm(work, { recursive: true, force: true, maxRetries: 5 });
}
