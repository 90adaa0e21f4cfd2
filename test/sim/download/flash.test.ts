// A scripted EDL host flashes the simulated module from a generated package, over its 9008 pty and
// over the usb2tcp bridge; what the NAND then holds decides how it boots (edl sheet §1.7, §2.3–2.7,
// §3; quectel sheet §2.4, §5.1).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SimState } from '../../../src/sim/control/api.js';
import { EC25_PARTITION_LAYOUT } from '../../../src/sim/nand/partition-table.js';
import { inspectPartitionImage } from '../../../src/sim/package/partition-image.js';
import { makePackage } from '../../../src/sim/package/make-package.js';
import { hex, toHex } from '../../helpers/edl-bytes.js';
import { EdlHost, serialLink, TcpLink } from '../../helpers/edl-host.js';
import { isSettled, isUp, newStateDir, startTestSim } from '../../helpers/sim-fixture.js';

const PAGE = 4096;
const PAGES_PER_BLOCK = 64;
/** Same baseline (R05) as the factory firmware, another minor: the reflash is visible in AT+GMR. */
const NEW_REVISION = 'EC25AFAR05A07M4G';

function firstPage(partition: string): number {
  const spec = EC25_PARTITION_LAYOUT.find((p) => p.name === partition);
  if (spec === undefined) throw new Error(partition);
  return spec.startBlock * PAGES_PER_BLOCK;
}

const inEdl = (s: SimState): boolean => s.mode === 'edl' && s.usb.ports.edl !== undefined;

let packageDir: string;
let programmer: Uint8Array;
let sbl: Uint8Array;
let modem: Uint8Array;

before(async () => {
  packageDir = await mkdtemp(join(tmpdir(), 'medic-pkg-'));
  await rm(packageDir, { recursive: true });
  await makePackage(packageDir, { size: 'small', revision: NEW_REVISION });
  programmer = new Uint8Array(await readFile(join(packageDir, 'update/firehose/prog_nand_firehose_9x07.mbn')));
  sbl = new Uint8Array(await readFile(join(packageDir, 'update/sbl1.mbn')));
  modem = new Uint8Array(await readFile(join(packageDir, 'update/NON-HLOS.ubi')));
});

after(async () => {
  await rm(packageDir, { recursive: true, force: true });
});

/** QFirehose's order: erase sbl first, the rest, sbl last (quectel sheet §5.1, the flash plan). */
async function flashSblAndModem(host: EdlHost): Promise<void> {
  await host.loadProgrammer(programmer);
  assert.match(await host.configure(), /<response value="ACK"/);
  assert.match(await host.erase(firstPage('sbl'), 10 * PAGES_PER_BLOCK), /<response value="ACK"/);
  assert.match(await host.erase(firstPage('modem'), PAGES_PER_BLOCK), /<response value="ACK"/);
  assert.match(await host.program(firstPage('modem'), modem, '..\\NON-HLOS.ubi'), /<response value="ACK"/);
  assert.match(await host.program(firstPage('sbl'), sbl, '..\\sbl1.mbn'), /<response value="ACK"/);
  assert.match(await host.reset(), /<response value="ACK"/);
}

async function gmr(t: Awaited<ReturnType<typeof startTestSim>>): Promise<string> {
  // After the boot URCs, so none lands in the answer.
  await t.sim.waitFor(isSettled(t.sim), 30_000, 'settled');
  const port = await t.openPort('at');
  return port.command('AT+GMR');
}

describe('simulated EC25: flashed through EDL', () => {
  it('over the 9008 pty: programmer, configure, erase + program sbl and modem, reset → boots with the new revision; it persists', async () => {
    const dir = await newStateDir();
    try {
      const t = await startTestSim({ scenario: 'edl-corrupt', stateDir: dir }, true);
      try {
        const state = await t.sim.waitFor(inEdl, 20_000, 'EDL');
        const host = new EdlHost(await serialLink(state.usb.ports.edl ?? ''));
        try {
          await flashSblAndModem(host);
        } finally {
          await host.link.close().catch(() => undefined);
        }
        const up = await t.sim.waitFor(isUp, 30_000, 'normal after the reset');
        assert.equal(up.usb.id, '2c7c:0125');
        assert.deepEqual(up.health, { efs: 'ok', bootChain: 'ok' });
        const { busyMs } = (await t.sim.control.state()).nand;
        assert.ok(busyMs.erase > 0 && busyMs.program > 0, `the chip's busy time is reported: ${JSON.stringify(busyMs)}`);
        assert.equal(await gmr(t), `AT+GMR\r\r\n${NEW_REVISION}\r\n\r\nOK\r\n`);
      } finally {
        await t.close();
      }
      // The NAND lives in the state directory: a new simulator on it boots the flashed firmware.
      const again = await startTestSim({ stateDir: dir }, true);
      try {
        await again.sim.waitFor(isUp, 20_000, 'normal after a restart');
        assert.equal(await gmr(again), `AT+GMR\r\r\n${NEW_REVISION}\r\n\r\nOK\r\n`);
        assert.equal((JSON.parse(await readFile(join(dir, 'module.json'), 'utf8')) as { identity: { revision: string } }).identity.revision, NEW_REVISION);
      } finally {
        await again.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('over the usb2tcp bridge: the 20-byte greeting, then framed messages both ways, byte for byte', async () => {
    const t = await startTestSim({ scenario: 'edl-corrupt', tcp: '127.0.0.1:0' });
    try {
      await t.sim.waitFor(inEdl, 20_000, 'EDL');
      const address = t.sim.info.tcp ?? '';
      assert.match(address, /^127\.0\.0\.1:\d+$/);
      assert.equal((JSON.parse(await readFile(join(t.dir, 'sim.json'), 'utf8')) as { tcp?: string }).tcp, address);
      const link = await TcpLink.open(address);
      // {0x12345678, 12, idVendor, idProduct, interface}, u32 little-endian (edl sheet §3).
      assert.deepEqual(link.greeting, [0x12345678, 12, 0x05c6, 0x9008, 1]);
      const host = new EdlHost(link);
      await flashSblAndModem(host);
      // The first frame the host sent: magic, length 48, then HELLO_RESP (version 2, compatible 1, mode 0).
      assert.equal(toHex(link.sent[0] ?? Buffer.alloc(0)), toHex(hex('78563412 30000000 02000000 30000000 02000000 01000000 00000000 00000000 01000000 02000000 03000000 04000000 05000000 06000000')));
      await t.sim.waitFor(isUp, 30_000, 'normal after the reset');
      assert.equal(await gmr(t), `AT+GMR\r\r\n${NEW_REVISION}\r\n\r\nOK\r\n`);
      await link.close();
    } finally {
      await t.close();
    }
  });

  it('in normal mode the bridge carries the DM port: the DIAG switch over TCP, then 9008 on a new connection', async () => {
    const t = await startTestSim({ tcp: '127.0.0.1:0' });
    try {
      await t.sim.waitFor(isUp, 20_000, 'normal');
      const dm = await TcpLink.open(t.sim.info.tcp ?? '');
      assert.deepEqual(dm.greeting, [0x12345678, 12, 0x2c7c, 0x0125, 0]);
      await dm.write(hex('4b650100540f7e'));
      assert.equal(toHex(await dm.read(AbortSignal.timeout(10_000))), '4b650100540f7e');
      await t.sim.waitFor(inEdl, 20_000, 'EDL');
      const edl = await TcpLink.open(t.sim.info.tcp ?? '');
      assert.deepEqual(edl.greeting, [0x12345678, 12, 0x05c6, 0x9008, 1]);
      const hello = await edl.read(AbortSignal.timeout(10_000));
      assert.equal(hello.length, 0x30, 'HELLO is one message');
      await edl.close();
      await dm.close();
    } finally {
      await t.close();
    }
  });

  it('a power cut in the middle of the flash (after sbl was erased): the next boot is EDL, calibration untouched', async () => {
    const t = await startTestSim({ scenario: 'usb-boot-stuck' });
    try {
      const state = await t.sim.waitFor(inEdl, 20_000, 'EDL');
      await t.sim.control.setUsbBoot('low');
      const host = new EdlHost(await serialLink(state.usb.ports.edl ?? ''), 5000);
      try {
        await host.loadProgrammer(programmer);
        await host.configure();
        await host.erase(firstPage('sbl'), 10 * PAGES_PER_BLOCK);
        await host.erase(firstPage('modem'), PAGES_PER_BLOCK);
        // Counted from the programmer's start: well inside the modem image's raw data.
        const faults = await t.sim.control.addEdlFaults({ cutPowerAfterBytes: 3000 + 2 * PAGE });
        assert.equal(typeof faults.cutPowerAfterBytes, 'number');
        await assert.rejects(host.program(firstPage('modem'), modem, '..\\NON-HLOS.ubi'));
      } finally {
        await host.link.close().catch(() => undefined);
      }
      await t.sim.waitFor((s) => s.mode === 'off' && s.usb.id === null, 20_000, 'power gone');
      assert.equal((await t.sim.control.edlFaults()).cutPowerAfterBytes, undefined, 'the cut fires once');
      await t.sim.control.setVbat(3.8);
      const back = await t.sim.waitFor(inEdl, 20_000, 'EDL after the cut');
      assert.equal(back.pins.usbBoot.level, 'low');
      assert.equal(back.health.bootChain, 'corrupt');
      const { flash } = t.sim.module;
      assert.equal(inspectPartitionImage(flash.nand, flash.table, 'efs2').valid, true, 'calibration untouched');
      assert.equal(inspectPartitionImage(flash.nand, flash.table, 'modem').valid, false, 'the modem write was cut short');
    } finally {
      await t.close();
    }
  });

  it('a link drop mid-program: 9008 comes back with the programmer still running; the host configures again and finishes', async () => {
    const t = await startTestSim({ scenario: 'edl-corrupt' });
    try {
      const state = await t.sim.waitFor(inEdl, 20_000, 'EDL');
      const host = new EdlHost(await serialLink(state.usb.ports.edl ?? ''), 5000);
      try {
        await host.loadProgrammer(programmer);
        await host.configure();
        await host.erase(firstPage('sbl'), 10 * PAGES_PER_BLOCK);
        await t.sim.control.addEdlFaults({ dropLinkAfterBytes: 3000 + PAGE });
        await assert.rejects(host.program(firstPage('sbl'), sbl, '..\\sbl1.mbn'));
      } finally {
        await host.link.close().catch(() => undefined);
      }
      await t.sim.waitFor((s) => s.usb.id === null, 20_000, 'the link gone');
      const back = await t.sim.waitFor(inEdl, 20_000, '9008 again');
      const again = new EdlHost(await serialLink(back.usb.ports.edl ?? ''));
      try {
        // No Sahara HELLO this time: the programmer answers Firehose at once.
        assert.match(await again.configure(), /<response value="ACK"/);
        assert.match(await again.erase(firstPage('sbl'), 10 * PAGES_PER_BLOCK), /<response value="ACK"/);
        assert.match(await again.program(firstPage('sbl'), sbl, '..\\sbl1.mbn'), /<response value="ACK"/);
        assert.match(await again.reset(), /<response value="ACK"/);
      } finally {
        await again.link.close().catch(() => undefined);
      }
      await t.sim.waitFor(isUp, 30_000, 'normal after the reset');
    } finally {
      await t.close();
    }
  });

  it('a NAKed command and noisy logs from the control interface reach the host', async () => {
    const t = await startTestSim({ scenario: 'edl-corrupt' });
    try {
      const state = await t.sim.waitFor(inEdl, 20_000, 'EDL');
      await t.sim.control.addEdlFaults({ nak: ['erase'], noisyLogs: 2, pageProgramUs: 900, blockEraseUs: 5000, pageReadUs: 0 });
      assert.deepEqual(await t.sim.control.edlFaults(), { nak: ['erase'], noisyLogs: 2, nand: { pageProgramUs: 900, blockEraseUs: 5000, pageReadUs: 0 } });
      assert.equal(t.sim.module.flash.nand.busy.timing.pageProgramUs, 900);
      const host = new EdlHost(await serialLink(state.usb.ports.edl ?? ''));
      try {
        await host.loadProgrammer(programmer);
        assert.match(await host.configure(), /<response value="ACK"/);
        const answer = await host.erase(firstPage('sbl'), PAGES_PER_BLOCK);
        assert.match(answer, /<response value="NAK"/);
        assert.ok((answer.match(/<log value=/g) ?? []).length >= 2, answer);
      } finally {
        await host.link.close().catch(() => undefined);
      }
      await t.sim.control.clearEdlFaults();
      assert.deepEqual(await t.sim.control.edlFaults(), {});
      // A random cut point is drawn from the seeded PRNG and reported.
      const random = await t.sim.control.addEdlFaults({ cutPowerAfterBytes: 'random', randomMaxBytes: 5000 });
      assert.ok(random.cutPowerAfterBytes !== undefined && random.cutPowerAfterBytes >= 1 && random.cutPowerAfterBytes <= 5000, JSON.stringify(random));
      await assert.rejects(t.sim.control.addEdlFaults({ nak: ['meltdown'] }), /Firehose commands/);
      await t.sim.control.clearEdlFaults();
      assert.equal(t.sim.module.flash.nand.busy.timing.pageProgramUs, 200);
    } finally {
      await t.close();
    }
  });
});
