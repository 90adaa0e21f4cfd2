import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { before, after, describe, it } from 'node:test';
import { runMedic } from '../helpers/medic.js';
import { tempDir } from '../helpers/wait.js';

// An empty sysfs tree: the host sees no module, so only typed observations count (and nothing
// depends on the USB devices of the machine running the tests).
let sys = '';
let cleanup: () => Promise<void> = () => Promise.resolve();
before(async () => {
  const dir = await tempDir();
  sys = join(dir.path, 'sys');
  await mkdir(join(sys, 'bus', 'usb', 'devices'), { recursive: true });
  cleanup = dir.remove;
});
after(() => cleanup());

const diagnose = (...args: string[]) => runMedic(['diagnose', '--sysfs-root', sys, '--no-wizard', ...args]);

describe('medic diagnose with typed observations', () => {
  it('explains the field report\'s first case in plain words with the exact next command, and exits 1', async () => {
    const result = await diagnose('--observe', 'usb=9008', 'usb_boot=low', 'current_ma=42', 'vdd_ext=1.8');
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^Most likely: Corrupted boot chain/m);
    assert.match(result.stdout, /\+ usb_boot = low \(you\): USB_BOOT is low, so nothing forced 9008/);
    assert.match(result.stdout, /1\. `medic flash PACKAGE --port <the 9008 port `medic scan` lists>`/);
    assert.match(result.stdout, /Knowledge: high confidence; from field report case 1 \(QFORUM\/6665\)/);
    assert.match(result.stdout, /Note: usb: using your 9008 instead of none \(scan\)/);
  });

  it('records each diagnosis in the rework log: observations, the cause, the next step', async () => {
    await using dir = await tempDir();
    const log = join(dir.path, 'rework.jsonl');
    const result = await diagnose('--observe', 'usb=9008', 'usb_boot=low', 'current_ma=42', '--rework-log', log);
    assert.equal(result.code, 1, result.stderr);
    const listed = await runMedic(['log', '--file', log, '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const records = listed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { command: string; outcome: string; observations: Record<string, string>; verdict?: { cause: string; summary?: string }; next?: string });
    assert.equal(records.length, 1);
    const [record] = records;
    assert.equal(record?.command, 'diagnose');
    assert.equal(record.outcome, 'diagnosed');
    assert.deepEqual([record.observations['usb'], record.observations['usb_boot'], record.observations['current_ma']], ['9008', 'low', '42']);
    assert.match(record.verdict?.summary ?? '', /Corrupted boot chain/);
    assert.match(record.next ?? '', /medic flash PACKAGE/);
  });

  it('gives the ranking as JSON, with evidence for and against and the next measurement when unclear', async () => {
    const result = await diagnose('--json', '--observe', 'usb=none');
    assert.equal(result.code, 1, result.stderr);
    const body = JSON.parse(result.stdout) as {
      ok: boolean;
      verdict: { cause: string; clear: boolean };
      causes: { id: string; share: number; for: { key: string }[]; next: { kind: string; text: string }[]; sources: string[] }[];
      nextMeasurement: { key: string } | null;
    };
    assert.equal(body.ok, true);
    assert.equal(body.verdict.clear, false);
    assert.equal(body.nextMeasurement?.key, 'vdd_ext');
    assert.ok(body.causes.length >= 3);
    assert.ok(body.causes.every((cause) => cause.next.length > 0 && cause.sources.length > 0));
    assert.ok(body.causes[0]?.for.some((hit) => hit.key === 'usb'));
  });

  it('says healthy and exits 0 for a registered module', async () => {
    const result = await diagnose('--observe', 'usb=normal', 'at_answers=yes', 'cfun=1', 'sim=ready', 'registration=registered');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Most likely: Healthy/m);
  });
});

describe('medic diagnose refuses bad observations with a clear message and exit 2', () => {
  const cases: [string, string[], RegExp, RegExp][] = [
    ['an unknown key', ['vdd_xt=1.8'], /unknown observation "vdd_xt"/, /Did you mean vdd_ext\?/],
    ['VDD_EXT 7 V', ['vdd_ext=7'], /vdd_ext=7 is not possible: VDD_EXT is the module's own 1\.8 V output/, /between 0 and 2\.2 V/],
    ['a contradiction', ['usb=normal', 'vdd_ext=0'], /contradictory observations: usb=normal \(you said\), vdd_ext=0 \(you said\)/, /Measure VDD_EXT again/],
    ['a malformed range', ['current_ma=55-'], /current_ma=55- is not a value or a range/, /current_ma=55-170/],
    ['a reversed range', ['current_ma=170-55'], /a range is written lowest first/, /current_ma=55-170/],
    ['a value not among the choices', ['usb=maybe'], /usb=maybe is not one of none, normal, 9008, fastboot, other/, /lsusb/],
  ];
  for (const [what, observations, message, hint] of cases) {
    it(what, async () => {
      const result = await diagnose('--observe', ...observations);
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stderr, message);
      assert.match(result.stderr, new RegExp(`what to do: .*${hint.source}`));
      assert.doesNotMatch(result.stderr, /internal error|at .*\.js:\d+/);
      assert.equal(result.stdout, '');
    });
  }

  it('an unknown bench, and --json errors as JSON', async () => {
    const result = await diagnose('--bench', 'meter:/dev/ttyS0');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--bench meter:\/dev\/ttyS0: unknown bench/);
    const json = await diagnose('--json', '--observe', 'vdd_ext=7');
    assert.equal(json.code, 2);
    const body = JSON.parse(json.stdout) as { ok: boolean; error: { code: string; details: { reason: string } } };
    assert.equal(body.ok, false);
    assert.equal(body.error.details.reason, 'impossible');
  });

  it('a simulator state directory where none runs', async () => {
    await using dir = await tempDir();
    const result = await diagnose('--bench', `sim:${dir.path}`);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--bench sim:.*: no simulator is running with state/);
    assert.match(result.stderr, /what to do: Start one with `medic sim --state <dir>`/);
  });
});
