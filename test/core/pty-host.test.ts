import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { constants, closeSync, openSync, readSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { PtyHost, type DevicePty } from '../../src/core/pty/pty-host.js';
import type { ByteTransport } from '../../src/transport/byte-transport.js';
import { openSerial } from '../../src/transport/serial.js';
import { isCode } from '../helpers/medic-error.js';
import { tempDir, waitFor } from '../helpers/wait.js';

/** What the device side of `pty` received from host programs, and how often one opened / closed it. */
function watch(pty: DevicePty): { received: () => Buffer; opens: () => number; closes: () => number } {
  const chunks: Uint8Array[] = [];
  let opens = 0;
  let closes = 0;
  pty.on({
    data: (bytes) => chunks.push(bytes),
    hostOpen: () => (opens += 1),
    hostClose: () => (closes += 1),
  });
  return { received: () => Buffer.concat(chunks), opens: () => opens, closes: () => closes };
}

/** Reads from a host transport until `count` bytes came (a tty hands them over in any pieces). */
async function readBytes(transport: ByteTransport, count: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let have = 0;
  while (have < count) {
    const chunk = await transport.read(AbortSignal.timeout(5000));
    chunks.push(chunk);
    have += chunk.length;
  }
  return Buffer.concat(chunks);
}

/** Every byte value, twice: NUL, ^C, ^D, CR, LF, XON/XOFF, DEL and 0xff are what a cooked tty mangles. */
const allBytes = Buffer.from([...Array.from({ length: 256 }, (_, i) => i), ...Array.from({ length: 256 }, (_, i) => 255 - i)]);

describe('pseudo-terminals: the simulator\'s ports and the guard\'s AT proxy as host programs see them', () => {
  let host: PtyHost;
  before(async () => {
    host = await PtyHost.start({ openPollMs: 5 });
  });
  after(async () => {
    await host.stop();
  });

  it('is raw both ways: every byte value crosses unchanged, nothing is echoed back to the host', async () => {
    const pty = await host.open();
    const seen = watch(pty);
    const transport = await openSerial({ path: pty.path });
    try {
      await waitFor(() => pty.hostHasOpen, 2000, 'the open to be seen');
      await transport.write(allBytes);
      await waitFor(() => seen.received().length >= allBytes.length, 2000, 'the host\'s bytes');
      assert.deepEqual(seen.received(), allBytes);
      pty.write(allBytes);
      pty.write('OK\r\n');
      const back = await readBytes(transport, allBytes.length + 4);
      assert.deepEqual(back, Buffer.concat([allBytes, Buffer.from('OK\r\n')]), 'only what the device side wrote: no echo, no CR/LF mapping');
    } finally {
      await transport.close();
      await pty.close();
    }
  });

  it('stty on the port reads what a USB serial port shows: 115200 baud, raw, no echo', async () => {
    const pty = await host.open();
    try {
      const { stdout } = await promisify(execFile)('stty', ['-F', pty.path, '-a']);
      assert.match(stdout, /speed 115200 baud/u);
      for (const flag of ['-echo', '-icanon', '-isig', '-icrnl', '-opost', 'cs8']) assert.match(stdout, new RegExp(`(^|\\s)${flag}(\\s|;|$)`, 'u'), flag);
    } finally {
      await pty.close();
    }
  });

  it('drops what the device sends while no host has the port open, as a closed ttyUSB does, and sees every open and close', async () => {
    const pty = await host.open();
    const seen = watch(pty);
    try {
      pty.write('\r\nRDY\r\n');
      for (let round = 1; round <= 3; round++) {
        const transport = await openSerial({ path: pty.path });
        await waitFor(() => seen.opens() === round, 2000, `open ${round}`);
        pty.write(`round ${round}\r\n`);
        const text = (await readBytes(transport, `round ${round}\r\n`.length)).toString('latin1');
        assert.equal(text, `round ${round}\r\n`, 'nothing sent before the open reached the host');
        await transport.close();
        await waitFor(() => seen.closes() === round, 2000, `close ${round}`);
        assert.equal(pty.hostHasOpen, false);
        pty.write('lost\r\n');
      }
    } finally {
      await pty.close();
    }
  });

  it('a megabyte each way, written faster than the other side reads, arrives whole and in order', async () => {
    const pty = await host.open();
    const seen = watch(pty);
    const transport = await openSerial({ path: pty.path });
    try {
      await waitFor(() => pty.hostHasOpen, 2000, 'the open to be seen');
      const down = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < down.length; i++) down[i] = (i * 7 + (i >> 12)) & 0xff;
      // All of it at once: the kernel takes a few KB, the rest waits in the port until the host reads.
      for (let offset = 0; offset < down.length; offset += 4096) pty.write(down.subarray(offset, offset + 4096));
      const up = Buffer.from(down).reverse();
      const [received] = await Promise.all([readBytes(transport, down.length), transport.write(up)]);
      assert.ok(received.equals(down), 'device → host intact');
      await waitFor(() => seen.received().length >= up.length, 10_000, 'host → device');
      assert.ok(seen.received().equals(up), 'host → device intact');
    } finally {
      await transport.close();
      await pty.close();
    }
  });

  it('close() is a hang-up for the host, even after this process started a child (the master is not inherited)', async () => {
    const pty = await host.open();
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const slave = openSync(pty.path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    try {
      await waitFor(() => pty.hostHasOpen, 2000, 'the open to be seen');
      assert.throws(() => readSync(slave, Buffer.alloc(16)), { code: 'EAGAIN' }, 'open, nothing to read yet');
      await pty.close();
      let hungUp = false;
      try {
        hungUp = readSync(slave, Buffer.alloc(16)) === 0;
      } catch (error) {
        hungUp = (error as NodeJS.ErrnoException).code === 'EIO';
      }
      assert.ok(hungUp, 'the host reads EOF or EIO, not "nothing yet"');
    } finally {
      closeSync(slave);
      child.kill();
    }
  });

  it('stop() hangs up every port and opens no more', async () => {
    const own = await PtyHost.start();
    const ports = [await own.open(), await own.open()];
    await own.stop();
    for (const port of ports) {
      assert.throws(() => openSync(port.path, constants.O_RDWR | constants.O_NOCTTY), 'the slave is gone with its master');
    }
    await assert.rejects(own.open(), isCode('PTY_STOPPED'));
  });
});

describe('pseudo-terminals without the addon built', () => {
  it('say which file is missing and how to build it', async () => {
    // The compiled modules, copied where no native/pty build is beside them.
    await using dir = await tempDir();
    const compiled = join(fileURLToPath(import.meta.url), '..', '..', '..', 'src', 'core');
    await mkdir(join(dir.path, 'dist', 'src', 'core', 'pty'), { recursive: true });
    await copyFile(join(compiled, 'errors.js'), join(dir.path, 'dist', 'src', 'core', 'errors.js'));
    for (const file of ['pty-addon.js', 'pty-host.js']) await copyFile(join(compiled, 'pty', file), join(dir.path, 'dist', 'src', 'core', 'pty', file));
    const moved = (await import(join(dir.path, 'dist', 'src', 'core', 'pty', 'pty-host.js'))) as { PtyHost: typeof PtyHost };
    await assert.rejects(
      moved.PtyHost.start(),
      isCode('PTY_UNAVAILABLE', (error) => {
        assert.match(error.message, /native\/pty\/build\/Release\/medic_pty\.node/u);
        assert.match(error.hint ?? '', /npm rebuild/u);
      }),
    );
  });
});
