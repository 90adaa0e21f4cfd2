import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { GpiodConfig } from '../../../src/guard/config/config.js';
import { BOARD_DEFAULT_LEVELS } from '../../../src/guard/config/parse-config.js';
import { gpiodCommands, parseGpiodVersion, parseGpiogetOutput } from '../../../src/guard/gpio/gpiod-commands.js';
import { GpiodLines } from '../../../src/guard/gpio/gpiod-lines.js';
import { usbStatusLine, withUsbStatus } from '../../../src/guard/gpio/usb-status.js';
import { tempDir } from '../../helpers/wait.js';

// No GPIO chip exists here: a fake gpioset/gpioget on PATH logs its command line, answers
// --version like libgpiod v1 or v2, holds "held" levels until killed and reads line values from
// files — enough to check the command lines the guard builds for each CLI generation.
const GPIOSET = `#!/bin/sh
echo "gpioset $*" >> "$FAKE_GPIOD_DIR/log"
case "$1" in
  --version) if [ "$FAKE_GPIOD_VERSION" = 2 ]; then echo "gpioset (libgpiod) v2.1.1"; elif [ "$FAKE_GPIOD_VERSION" = x ]; then echo "something else"; else echo "gpioset (libgpiod) v1.6.3"; fi; exit 0;;
esac
case "$*" in
  *--mode=time*|*--toggle*) sleep 0.02; exit 0;;
esac
trap 'exit 0' TERM INT
while :; do sleep 0.02; done
`;
const GPIOGET = `#!/bin/sh
echo "gpioget $*" >> "$FAKE_GPIOD_DIR/log"
for last; do :; done
if [ -f "$FAKE_GPIOD_DIR/fail" ]; then echo "gpioget: unable to request lines" >&2; exit 1; fi
cat "$FAKE_GPIOD_DIR/line-$last" 2>/dev/null || echo 1
`;

const config: GpiodConfig = { backend: 'gpiod', chip: 'gpiochip0', lines: { vbat_enable: 12, pwrkey: 35, status: 233 }, levels: BOARD_DEFAULT_LEVELS };

async function fakeTools(version: '1' | '2' | 'x'): Promise<{ env: NodeJS.ProcessEnv; dir: string; log: () => Promise<string[]>; remove: () => Promise<void> }> {
  const dir = await tempDir('medic-gpiod-');
  const bin = join(dir.path, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'gpioset'), GPIOSET);
  await writeFile(join(bin, 'gpioget'), GPIOGET);
  await chmod(join(bin, 'gpioset'), 0o755);
  await chmod(join(bin, 'gpioget'), 0o755);
  return {
    env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, FAKE_GPIOD_DIR: dir.path, FAKE_GPIOD_VERSION: version },
    dir: dir.path,
    log: async () => (await readFile(join(dir.path, 'log'), 'utf8').catch(() => '')).split('\n').filter((line) => line !== '' && !line.includes('--version')),
    remove: dir.remove,
  };
}

describe('GPIO through libgpiod\'s tools', () => {
  it('tells v1 from v2 by `gpioset --version`', async () => {
    for (const version of ['1', '2'] as const) {
      const fake = await fakeTools(version);
      const lines = await GpiodLines.open(config, { env: fake.env });
      assert.equal(lines.version, Number(version));
      assert.match(lines.description, new RegExp(`gpiod v${version}`));
      await lines.close();
      await fake.remove();
    }
  });

  it('v1: holds a level with --mode=signal, times a pulse with --mode=time, reads with gpioget CHIP OFFSET', async () => {
    const fake = await fakeTools('1');
    const lines = await GpiodLines.open(config, { env: fake.env, pollMs: 5 });
    try {
      await lines.line('vbat_enable')?.set('high');
      await lines.line('pwrkey')?.pulse('high', 20);
      await writeFile(join(fake.dir, 'line-233'), '0\n');
      assert.equal(await lines.line('status')?.get(), 'low');
      assert.equal(await lines.line('pwrkey')?.get(), 'low', 'released after the pulse');
    } finally {
      await lines.close();
    }
    assert.deepEqual(await fake.log(), [
      'gpioset --mode=signal gpiochip0 12=1',
      'gpioset --mode=time --sec=0 --usec=20000 gpiochip0 35=1',
      'gpioset --mode=signal gpiochip0 35=0',
      'gpioget gpiochip0 233',
    ]);
    await fake.remove();
  });

  it('v2: --chip and a held process, --toggle MSms,0 for a pulse, gpioget --numeric', async () => {
    const fake = await fakeTools('2');
    const lines = await GpiodLines.open(config, { env: fake.env, pollMs: 5 });
    try {
      await lines.line('vbat_enable')?.set('high');
      await lines.line('pwrkey')?.pulse('high', 650);
      assert.equal(await lines.line('status')?.get(), 'high');
    } finally {
      await lines.close();
    }
    assert.deepEqual(await fake.log(), [
      'gpioset --consumer medic-guard --chip gpiochip0 12=1',
      'gpioset --consumer medic-guard --chip gpiochip0 --toggle 650ms,0 35=1',
      'gpioset --consumer medic-guard --chip gpiochip0 35=0',
      'gpioget --consumer medic-guard --chip gpiochip0 --numeric 233',
    ]);
    await fake.remove();
  });

  it('waits for STATUS with a deadline', async () => {
    const fake = await fakeTools('1');
    const lines = await GpiodLines.open(config, { env: fake.env, pollMs: 5 });
    const status = lines.line('status');
    assert.ok(status);
    // Written whole (rename), as a pin changes: a half-written file would read as garbage.
    setTimeout(() => void writeFile(join(fake.dir, 'line-233.tmp'), '0\n').then(() => rename(join(fake.dir, 'line-233.tmp'), join(fake.dir, 'line-233'))), 50);
    await status.waitFor('low', 5000);
    await assert.rejects(status.waitFor('high', 60), { code: 'TIMEOUT', message: /status did not read high within 60 ms/ });
    await assert.rejects(status.set('low'), { code: 'GPIO_NOT_OUTPUT' });
    assert.equal(lines.line('reset_n'), undefined, 'not wired in this board file');
    await lines.close();
    await fake.remove();
  });

  it('says what is wrong when the tools are missing, unknown or failing', async () => {
    await assert.rejects(GpiodLines.open(config, { env: { ...process.env, PATH: '/nonexistent' } }), { code: 'GPIO_TOOLS_MISSING', hint: /apt install gpiod/ });
    const odd = await fakeTools('x');
    await assert.rejects(GpiodLines.open(config, { env: odd.env }), { code: 'GPIO_TOOL_VERSION' });
    await odd.remove();
    const failing = await fakeTools('1');
    await writeFile(join(failing.dir, 'fail'), '');
    const lines = await GpiodLines.open(config, { env: failing.env });
    await assert.rejects(lines.line('status')?.get() ?? Promise.resolve(), { code: 'GPIO_TOOL_FAILED', message: /unable to request lines/ });
    await lines.close();
    await failing.remove();
  });

  it('builds the command lines as data', () => {
    assert.deepEqual(gpiodCommands(1).pulse('gpiochip1', 7, 0, 1500.5), ['gpioset', '--mode=time', '--sec=1', '--usec=500500', 'gpiochip1', '7=0']);
    assert.deepEqual(gpiodCommands(2).get('gpiochip1', 7), ['gpioget', '--consumer', 'medic-guard', '--chip', 'gpiochip1', '--numeric', '7']);
    assert.equal(parseGpiodVersion('gpioset (libgpiod) v1.6.3\nCopyright (C) 2017-2018 Bartosz Golaszewski'), 1);
    assert.equal(parseGpiodVersion('gpioset (libgpiod) v2.2.1'), 2);
    assert.equal(parseGpiodVersion('busybox'), undefined);
    assert.equal(parseGpiogetOutput('1\n'), 1);
    assert.equal(parseGpiogetOutput('"233"=inactive\n'), 0);
    assert.equal(parseGpiogetOutput('garbage'), undefined);
  });
});

describe('STATUS from USB presence (boards without a STATUS line)', () => {
  it('reads "running" while the module\'s USB device is there', async () => {
    let present = false;
    const status = usbStatusLine(() => Promise.resolve(present), 'low', 5);
    assert.equal(await status.get(), 'high');
    setTimeout(() => { present = true; }, 30);
    await status.waitFor('low', 5000);
    const lines = withUsbStatus({ description: 'none', line: () => undefined, close: () => Promise.resolve() }, status);
    assert.equal(lines.statusFromUsb, true);
    assert.equal(lines.line('status'), status);
    assert.equal(lines.line('pwrkey'), undefined);
  });
});
