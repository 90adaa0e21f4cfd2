import assert from 'node:assert/strict';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readReworkLog } from '../../src/diagnose/rework-log/index.js';
import { makePackage } from '../../src/sim/package/index.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { chipSerialOf } from '../../src/sim/edl-ports.js';
import { medicBin, runMedic } from '../helpers/medic.js';
import { runOnTerminal } from '../helpers/terminal.js';
import { tempDir } from '../helpers/wait.js';

// medic flash --all end to end: three simulated modules on a bench (USB paths 1-1, 1-2, 1-3), each
// with its own sysfs tree and dev/ (one simulator, one tree: the batch takes several
// --sysfs-root), the CLI as a child process, real ptys.
const before_ = 'EC25AFAR05A04M4G';
const revision = 'EC25AFAR05A06M4G';
const usbPaths = ['1-1', '1-2', '1-3'];
const imeis = ['866758040000016', '866758040000024', '866758040000032'];
let work: Awaited<ReturnType<typeof tempDir>>;
let pkg: string;
let reworkLog: string;
const sims: RunningSimulator[] = [];

before(async () => {
  work = await tempDir();
  pkg = join(work.path, revision);
  reworkLog = join(work.path, 'state', 'rework-log.jsonl');
  await makePackage(pkg, { revision, size: 'small' });
  for (const [index, usbPath] of usbPaths.entries()) {
    sims.push(await startSimulator({ scenario: 'edl-corrupt', timeScale: 0.01, seed: 30 + index, revision: before_, usbPath, imei: imeis[index] ?? '' }));
  }
  await Promise.all(sims.map((sim) => sim.waitFor((state) => state.mode === 'edl', 20_000, '9008')));
});
after(async () => {
  await Promise.all(sims.map((sim) => sim.stop()));
  await work.remove();
});

/** The chip serial unit `index`'s boot ROM reports in Sahara command mode, as medic writes it. */
function serialOf(index: number): string {
  return chipSerialOf(imeis[index] ?? '').toString(16).padStart(8, '0');
}

async function unitLogs(dir: string): Promise<string> {
  const files = await readdir(dir).catch(() => []);
  const texts = await Promise.all(files.map(async (file) => `--- ${file}\n${await readFile(join(dir, file), 'utf8')}`));
  return texts.join('\n');
}

function roots(): string[] {
  return sims.flatMap((sim) => ['--sysfs-root', sim.info.sysfs]);
}

async function revisionOf(sim: RunningSimulator): Promise<string> {
  await sim.waitFor((state) => state.mode === 'normal' && state.firmware.rdy, 60_000, 'the module to boot after the flash');
  const at = sim.info.ports.at;
  assert.ok(at);
  const info = await runMedic(['info', '--port', at, '--json'], { timeoutMs: 60_000 });
  const report = JSON.parse(info.stdout) as { report: { readings: { identity: { revision?: string; fullRevision?: string } } } };
  return report.report.readings.identity.fullRevision ?? report.report.readings.identity.revision ?? '';
}

describe('medic flash --all', () => {
  it('flashes every module in 9008 in parallel: three verified units, each booting the package\'s revision, with its own log and backup', async () => {
    const backups = join(work.path, 'backups-1');
    const logs = join(work.path, 'logs-1');
    const result = await runMedic(['flash', pkg, '--all', ...roots(), '--module-revision', before_, '--backup-dir', backups, '--log-dir', logs, '--rework-log', reworkLog], { timeoutMs: 300_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /3 of 3 unit\(s\) flashed with EC25AFAR05A06M4G/);
    for (const [index, usbPath] of usbPaths.entries()) assert.match(result.stdout, new RegExp(`^${usbPath}\\s+${usbPath}\\s+serial ${serialOf(index)}\\s+verified`, 'm'));
    // Off a terminal: a line per event, each with its unit.
    for (const usbPath of usbPaths) assert.match(result.stderr, new RegExp(`^\\[${usbPath}\\] ✓ verified`, 'm'));
    for (const sim of sims) assert.ok((await revisionOf(sim)).startsWith(`${revision}_`), 'boots the package\'s revision');
    // Every unit has its own backup folder, named by its chip serial.
    for (const index of usbPaths.keys()) {
      const runs = await readdir(join(backups, `serial-${serialOf(index)}`));
      assert.equal(runs.length, 1, runs.join(', '));
      assert.ok((await readdir(join(backups, `serial-${serialOf(index)}`, runs[0] ?? ''))).includes('efs2.bin'));
    }
    const logFiles = await readdir(logs);
    assert.equal(logFiles.length, 3);
    for (const file of logFiles) assert.match(await readFile(join(logs, file), 'utf8'), /outcome: verified/);
    const log = await readReworkLog({ file: reworkLog });
    assert.deepEqual(log.records.map((record) => [record.unit.usbPath, record.outcome, record.revision.after?.split('_')[0], record.command]).sort(), usbPaths.map((path) => [path, 'verified', revision, 'flash --all']));
    assert.equal(new Set(log.records.map((record) => record.batch)).size, 1);
  });

  it('one unit losing power mid-flash ends failed-recoverable with its next step; the others verify; exit 5 (--include-normal, --json)', async () => {
    // The modules run normal firmware now: --include-normal reads AT, switches over DIAG.
    const victim = sims[1] ?? assert.fail('three sims');
    await victim.control.addEdlFaults({ cutPowerAfterBytes: 100_000 });
    const result = await runMedic(['flash', pkg, '--all', ...roots(), '--include-normal', '--backup-dir', join(work.path, 'backups-2'), '--log-dir', join(work.path, 'logs-2'), '--rework-log', reworkLog, '--json'], { timeoutMs: 300_000 });
    assert.equal(result.code, 5, result.stderr);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const summary = lines.at(-1) as { ok: boolean; summary: { units: { unit: string; outcome: string; next: string | null; imei?: string; revisionBefore: string | null; backupDirectory: string | null }[] } };
    assert.equal(summary.ok, false);
    const byUnit = new Map(summary.summary.units.map((unit) => [unit.unit, unit]));
    assert.equal(byUnit.get('1-1')?.outcome, 'verified');
    assert.equal(byUnit.get('1-3')?.outcome, 'verified');
    const failed = byUnit.get('1-2') ?? assert.fail('unit 1-2 in the summary');
    assert.equal(failed.outcome, 'failed-recoverable');
    assert.equal(failed.imei, imeis[1], 'read over AT before the switch');
    assert.match(failed.revisionBefore ?? '', new RegExp(`^${revision}_`), 'read over AT');
    assert.match(failed.next ?? '', /falls back to EDL/);
    assert.match(failed.next ?? '', /medic flash/);
    assert.ok(failed.backupDirectory !== null && (await readdir(failed.backupDirectory)).includes('efs2.bin'), 'its calibration backup is on disk');
    assert.ok(lines.some((line) => line['event'] === 'start' && line['unit'] === '1-2'));
    assert.ok(lines.some((line) => line['event'] === 'done' && line['unit'] === '1-2' && line['outcome'] === 'failed-recoverable'));
    // Power back: the unit falls back to 9008, as the summary promised.
    await victim.control.setVbat(3.8);
    await victim.waitFor((state) => state.mode === 'edl' && state.usb.ports.edl !== undefined, 30_000, 'the interrupted unit to come back in 9008');
    const records = (await readReworkLog({ file: reworkLog })).records.slice(3);
    assert.deepEqual(records.map((record) => [record.unit.usbPath, record.outcome]).sort(), [['1-1', 'verified'], ['1-2', 'failed-recoverable'], ['1-3', 'verified']]);
  });

  it('a single flash records its run too', async () => {
    const victim = sims[1] ?? assert.fail('three sims');
    const edl = (await victim.waitFor((state) => state.usb.ports.edl !== undefined, 30_000, '9008')).usb.ports.edl;
    assert.ok(edl);
    const result = await runMedic(['flash', pkg, '--port', edl, '--module-revision', revision, '--backup-dir', join(work.path, 'backups-3'), '--rework-log', reworkLog], { timeoutMs: 180_000 });
    assert.equal(result.code, 0, result.stderr);
    const last = (await readReworkLog({ file: reworkLog })).records.at(-1);
    assert.equal(last?.command, 'flash');
    assert.equal(last.outcome, 'verified');
    assert.equal(last.unit.serial, serialOf(1));
    assert.equal(last.revision.before, revision);
    assert.match(last.revision.after ?? '', new RegExp(`^${revision}_`));
  });

  it('on a terminal, shows one status line per unit, redrawn in place', async () => {
    const pair = [sims[0], sims[2]].map((sim) => sim ?? assert.fail('three sims'));
    for (const sim of pair) await sim.waitFor((state) => state.mode === 'normal' && state.firmware.rdy, 60_000, 'normal mode');
    const args = ['flash', pkg, '--all', '--include-normal', ...pair.flatMap((sim) => ['--sysfs-root', sim.info.sysfs]), '--backup-dir', join(work.path, 'backups-4'), '--log-dir', join(work.path, 'logs-4')];
    const terminal = runOnTerminal(process.execPath, [medicBin, ...args], { ...process.env, MEDIC_REWORK_LOG: reworkLog });
    const code = await terminal.exited;
    // On failure, the units' own logs say what went wrong (the screen only shows the outcome).
    if (code !== 0) assert.fail(`exit ${String(code)}\n${terminal.output()}\n${await unitLogs(join(work.path, 'logs-4'))}`);
    const screen = terminal.output();
    assert.ok(screen.includes('\x1b[2F'), 'the two unit lines are redrawn in place (cursor up two lines)');
    const drawn = screen.split('\x1b[2K');
    assert.ok(drawn.some((line) => /^1-1\s+✓ verified/.test(line)), 'unit 1-1 ends verified');
    assert.ok(drawn.some((line) => /^1-3\s+✓ verified/.test(line)), 'unit 1-3 ends verified');
    assert.doesNotMatch(screen, /\[1-1\] /, 'no line-per-event output on a terminal');
  });

  it('says so when no module is in download mode (exit 3), and rejects a wrong command line (exit 2)', async () => {
    const empty = join(work.path, 'empty', 'sys');
    await mkdir(join(empty, 'bus', 'usb', 'devices'), { recursive: true });
    const none = await runMedic(['flash', pkg, '--all', '--sysfs-root', empty, '--rework-log', reworkLog]);
    assert.equal(none.code, 3, none.stderr);
    assert.match(none.stderr, /no module in download mode \(9008\) was found/);
    assert.match(none.stderr, /what to do: .*--include-normal/);
    const jobs = await runMedic(['flash', pkg, '--all', '--jobs', '0', '--sysfs-root', empty]);
    assert.equal(jobs.code, 2);
    assert.match(jobs.stderr, /--jobs 0/);
    const port = await runMedic(['flash', pkg, '--all', '--port', '/dev/null']);
    assert.equal(port.code, 2);
    assert.match(port.stderr, /--all finds the modules itself; drop --port/);
  });
});
