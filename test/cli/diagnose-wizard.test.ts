import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { vocabulary } from '../../src/diagnose/observations/index.js';
import { medicBin } from '../helpers/medic.js';
import { runOnTerminal } from '../helpers/terminal.js';
import { tempDir } from '../helpers/wait.js';

// The wizard on a real terminal: a technician with the field report's second unit (no USB port,
// VDD_EXT 1.8 V, 55–170 mA wandering, USB_BOOT low) answers whatever medic asks, until it concludes.
const bench: Record<string, string> = {
  vdd_ext: '1.8',
  current_ma: '55-170',
  usb_boot: 'low',
  status: 'high',
  net_status: 'off',
  vbat: '3.8',
  supply_v: '3.81',
};

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const questions = vocabulary.filter((spec) => spec.where === 'bench');
const anyQuestion = new RegExp(`${questions.map((spec) => escape(spec.question)).join('|')}|That settles it|No measurement I know of`);

describe('medic diagnose wizard on a terminal', () => {
  it('asks only what separates the causes, explains a bad answer, helps on "?", and concludes', async () => {
    await using dir = await tempDir();
    const sys = join(dir.path, 'sys');
    await mkdir(join(sys, 'bus', 'usb', 'devices'), { recursive: true });
    const session = runOnTerminal(process.execPath, [medicBin, 'diagnose', '--sysfs-root', sys]);
    try {
      const asked: string[] = [];
      let from = 0;
      let triedBadValue = false;
      for (let round = 0; round < 10; round += 1) {
        // Each question follows a "Still possible:" line (readline redraws the prompt as keys
        // are typed, so the question text alone appears more than once).
        const marker = await session.waitFor(/Still possible: [^\n]*\n|That settles it|No measurement I know of/, 20_000, from);
        from = session.output().indexOf(marker, from) + marker.length;
        if (!marker.startsWith('Still possible')) break;
        const seen = await session.waitFor(anyQuestion, 20_000, from);
        from = session.output().indexOf(seen, from) + seen.length;
        const spec = questions.find((q) => q.question === seen);
        assert.ok(spec);
        asked.push(spec.key);
        if (spec.key === 'vdd_ext' && !triedBadValue) {
          triedBadValue = true;
          session.type('7\r');
          await session.waitFor(/vdd_ext=7 is not possible/, 10_000, from);
          session.type('?\r');
          await session.waitFor(/How: Multimeter on pin 7/, 10_000, from);
        }
        const answer = bench[spec.key];
        session.type(`${answer ?? 'skip'}\r`);
      }
      assert.equal(await session.exited, 1, session.output());
      const screen = session.output();
      assert.equal(asked[0], 'vdd_ext', 'VDD_EXT first: it splits "never started" from "hangs before USB"');
      assert.ok(asked.length <= 4, `asked ${asked.join(', ')}`);
      assert.equal(new Set(asked).size, asked.length, 'never the same question twice');
      assert.match(screen, /That settles it: A boot stage hangs before USB/);
      assert.match(screen, /Most likely: A boot stage hangs before USB/);
      assert.match(screen, /Tie USB_BOOT \(pin 115, or the board's test pad\) to VDD_EXT/);
      assert.match(screen, /vdd_ext=1\.8 V \(you\)/);
    } finally {
      session.kill();
    }
  });

  it('takes "skip" and ends cleanly on Ctrl-D with the diagnosis so far', async () => {
    await using dir = await tempDir();
    const sys = join(dir.path, 'sys');
    await mkdir(join(sys, 'bus', 'usb', 'devices'), { recursive: true });
    const session = runOnTerminal(process.execPath, [medicBin, 'diagnose', '--sysfs-root', sys, '--observe', 'usb=9008']);
    try {
      const first = await session.waitFor(anyQuestion, 20_000);
      assert.match(first, /USB_BOOT/);
      session.type('skip\r');
      const from = session.output().lastIndexOf(first) + first.length;
      await session.waitFor(anyQuestion, 20_000, from);
      session.type('\x04');
      assert.equal(await session.exited, 1, session.output());
      assert.match(session.output(), /Most likely: Corrupted boot chain/);
      assert.match(session.output(), /not yet clear/);
    } finally {
      session.kill();
    }
  });
});
