import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachEdlSession, createEdlSession, type EdlPort, type EdlResetEvent, type EdlSession, type EdlSessionOptions } from '../../../src/sim/edl/edl-session.js';
import type { DevicePty } from '../../../src/core/pty/pty-host.js';
import type { FirehoseStopReport } from '../../../src/sim/edl/firehose-faults.js';
import { NandFlash } from '../../../src/sim/nand/nand-flash.js';
import { nandGeometry } from '../../../src/sim/nand/nand-geometry.js';
import { bootImageLooksValid, isPartitionErased } from '../../../src/sim/nand/partition-state.js';
import { PartitionTable } from '../../../src/sim/nand/partition-table.js';
import { concat, DeviceOutput } from '../../helpers/device-output.js';
import { deviceLog, deviceResponse, firehoseDoc, hex, helloResp, sahara, toHex, words } from '../../helpers/edl-bytes.js';
import { buildSyntheticElf, type SyntheticElf } from '../../helpers/synthetic-elf.js';

const HELLO = '01000000 30000000 02000000 01000000 00040000 00000000' + ' 00000000'.repeat(6);
const geometry = nandGeometry({ totalBytes: 16 * 256 * 1024 }); // 16 blocks of 64 × 4 KiB
const table = PartitionTable.create([{ name: 'sbl', startBlock: 0, blockCount: 10 }, { name: 'efs2', startBlock: 10, blockCount: 6 }], geometry);

interface Run {
  readonly session: EdlSession;
  readonly nand: NandFlash;
  readonly out: DeviceOutput;
  readonly resets: EdlResetEvent[];
  readonly stops: FirehoseStopReport[];
}

function run(options: Partial<EdlSessionOptions> = {}): Run {
  const nand = new NandFlash({ geometry, timeScale: 0 });
  const out = new DeviceOutput();
  const resets: EdlResetEvent[] = [];
  const stops: FirehoseStopReport[] = [];
  const session = createEdlSession({
    nand,
    send: out.send,
    onReset: (event) => resets.push(event),
    onStop: (report) => stops.push(report),
    timeScale: 0,
    ...options,
  });
  return { session, nand, out, resets, stops };
}

/** Host writes arrive in odd pieces, as they do through a tty. */
function feed(session: EdlSession, bytes: Uint8Array, piece = 7): void {
  for (let at = 0; at < bytes.length; at += piece) session.receive(bytes.subarray(at, at + piece));
}

/** The host half of Sahara (§1.7): HELLO_RESP mode 0, serve every READ_DATA, DONE. */
function loadProgrammer(r: Run, elf: SyntheticElf): string[] {
  const seen: string[] = [];
  assert.deepEqual(r.out.take().map(toHex), [toHex(hex(HELLO))]);
  feed(r.session, helloResp(0));
  for (;;) {
    const [packet] = r.out.take();
    assert.ok(packet !== undefined, 'the target always answers');
    const [command, , , offset = 0, length = 0] = words(packet);
    if (command !== 0x03) {
      seen.push(toHex(packet));
      break;
    }
    feed(r.session, elf.bytes.subarray(offset, offset + length), 333);
  }
  feed(r.session, sahara(0x05));
  seen.push(...r.out.take().map(toHex));
  return seen;
}

async function firehose(r: Run, element: string): Promise<string[]> {
  feed(r.session, firehoseDoc(element), 64);
  await r.session.whenIdle();
  return r.out.takeText();
}

const ERASE = (start: number, count: number): string => `<erase SECTOR_SIZE_IN_BYTES="4096" num_partition_sectors="${count}" physical_partition_number="0" start_sector="${start}" PAGES_PER_BLOCK="64" />`;
const PROGRAM = (start: number, count: number): string => `<program SECTOR_SIZE_IN_BYTES="4096" filename="..\\sbl1.mbn" num_partition_sectors="${count}" physical_partition_number="0" start_sector="${start}" PAGES_PER_BLOCK="64" />`;

describe('EDL session: a complete recovery driven by a scripted host', () => {
  it('Sahara loads the programmer, Firehose configures, erases, programs and reads back sbl, then resets', async () => {
    const r = run();
    const elf = buildSyntheticElf({ loadSizes: [0x9d0, 0x1800] });
    r.session.start();
    assert.equal(r.session.phase, 'sahara');
    assert.deepEqual(loadProgrammer(r, elf), ['04000000100000000d00000000000000', '060000000c00000000000000']);
    assert.equal(r.session.phase, 'firehose');
    assert.deepEqual(r.session.programmer?.bytes, elf.bytes);

    await r.session.whenIdle();
    assert.deepEqual(r.out.takeText(), [deviceLog('Binary build date: Dec 12 2016 @ 23:35:46'), deviceLog('Supported Functions: program configure power benchmark read getstorageinfo erase nop ')]);

    const configure = (payload: number): string => `<configure MemoryName="nand" Verbose="0" AlwaysValidate="0" MaxDigestTableSizeInBytes="2048" MaxPayloadSizeToTargetInBytes="${payload}" ZlpAwareHost="1" SkipStorageInit="0" />`;
    const sizes = { MemoryName: 'NAND', MaxPayloadSizeFromTargetInBytes: 4096, MaxPayloadSizeToTargetInBytes: 8192, MaxPayloadSizeToTargetInBytesSupported: 8192, TargetName: '9x07' };
    assert.deepEqual(await firehose(r, configure(1048576)), [deviceResponse('NAK', sizes)]);
    assert.deepEqual(await firehose(r, configure(8192)), [deviceResponse('ACK', sizes)]);
    assert.equal((await firehose(r, '<getstorageinfo physical_partition_number="0" />')).at(-1), deviceResponse('ACK'));

    assert.deepEqual(await firehose(r, ERASE(0, 640)), [deviceLog('start_sector = 0 and num_partition_sectors =0x280)'), deviceResponse('ACK')]);
    assert.ok(isPartitionErased(r.nand, table, 'sbl'));

    const sbl = new Uint8Array(5 * 4096).map((_, i) => (i * 13) & 0xff);
    sbl.set([0x7f, 0x45, 0x4c, 0x46]);
    assert.deepEqual(await firehose(r, PROGRAM(0, 5)), [deviceLog('INSIDE HANDLE PROGRAM'), deviceLog('start_sector 0, last_sector_address 5'), deviceResponse('ACK', { rawmode: 'true' })]);
    feed(r.session, sbl, 8192);
    await r.session.whenIdle();
    assert.deepEqual(r.out.takeText(), [deviceLog('Finished sector address 0'), deviceResponse('ACK', { rawmode: 'false' })]);

    feed(r.session, firehoseDoc('<read SECTOR_SIZE_IN_BYTES="4096" num_partition_sectors="5" physical_partition_number="0" start_sector="0" />'));
    await r.session.whenIdle();
    const writes = r.out.take();
    const text = writes.map((bytes) => Buffer.from(bytes).toString('latin1'));
    const open = text.indexOf(deviceResponse('ACK', { rawmode: 'true' }));
    const close = text.indexOf(deviceResponse('ACK', { rawmode: 'false' }));
    assert.ok(open >= 0 && close > open);
    assert.deepEqual(concat(writes.slice(open + 1, close)), sbl);
    assert.ok(bootImageLooksValid(r.nand, table, { expected: sbl }));

    assert.deepEqual(await firehose(r, '<power DelayInSeconds="10" value="reset" />'), [deviceLog('Inside handlePower() - Requested POWER_RESET'), deviceResponse('ACK')]);
    assert.deepEqual(r.resets, [{ source: 'firehose-power', action: 'reset' }]);
    assert.equal(r.session.phase, 'reset');
    assert.deepEqual(r.stops, []);
  });

  it('a power cut in the middle of programming sbl leaves a torn, unbootable sbl', async () => {
    const r = run();
    r.session.start();
    loadProgrammer(r, buildSyntheticElf({ loadSizes: [0x100] }));
    await r.session.whenIdle();
    r.out.take();
    await firehose(r, ERASE(0, 640));
    await firehose(r, PROGRAM(0, 8));
    const sbl = new Uint8Array(8 * 4096).fill(0x5a);
    sbl.set([0x7f, 0x45, 0x4c, 0x46]);
    feed(r.session, sbl.subarray(0, 3 * 4096 + 1000), 4096);
    await r.session.whenIdle();
    const report = r.session.powerCut();
    assert.equal(report?.tornPage, 3);
    assert.equal(r.session.phase, 'power-cut');
    assert.deepEqual(r.stops.map((s) => s.reason), ['power-cut']);
    assert.equal(bootImageLooksValid(r.nand, table), false);
    assert.equal(bootImageLooksValid(r.nand, table, { expected: sbl }), false);
  });
});

describe('EDL session: wiring and the other ways out', () => {
  it('attachEdlSession: one call wires a port; the HELLO goes out when a host opens it', () => {
    const written: Uint8Array[] = [];
    const handlers: { data?: (bytes: Uint8Array) => void; hostOpen?: () => void } = {};
    const port = {
      write: (bytes: Uint8Array) => written.push(bytes),
      on: (events: typeof handlers) => Object.assign(handlers, events),
    };
    const resets: EdlResetEvent[] = [];
    const session = attachEdlSession(port, { nand: new NandFlash({ geometry, timeScale: 0 }), onReset: (event) => resets.push(event), timeScale: 0 });
    assert.equal(written.length, 0);
    handlers.hostOpen?.();
    assert.deepEqual(written.map(toHex), [toHex(hex(HELLO))]);
    handlers.data?.(sahara(0x07));
    assert.deepEqual(written.map(toHex).slice(1), ['0800000008000000']);
    assert.deepEqual(resets, [{ source: 'sahara-reset' }]);
    assert.equal(session.phase, 'reset');
  });

  it("the simulator's pseudo-terminal port fits attachEdlSession as it is", () => {
    const asPort = (pty: DevicePty): EdlPort => pty;
    assert.equal(typeof asPort, 'function');
  });

  it('a programmer the chip cannot run passes Sahara, then the port goes silent', async () => {
    const r = run({ acceptProgrammer: () => false });
    r.session.start();
    loadProgrammer(r, buildSyntheticElf({ loadSizes: [0x100] }));
    assert.equal(r.session.phase, 'hung');
    feed(r.session, firehoseDoc('<getstorageinfo physical_partition_number="0" />'));
    await r.session.whenIdle();
    assert.deepEqual(r.out.take(), []);
  });

  it('can start with the programmer already running (edl’s Firehose-only mode)', async () => {
    const r = run({ startIn: 'firehose' });
    r.session.start();
    await r.session.whenIdle();
    assert.equal(r.out.takeText().length, 2);
    assert.equal((await firehose(r, '<nop value="1" />')).at(-1), deviceResponse('ACK'));
  });

  it('a fault configured for the session applies to its programmer', async () => {
    const r = run({ faults: { nakCommands: ['erase'] } });
    r.session.start();
    loadProgrammer(r, buildSyntheticElf({ loadSizes: [0x100] }));
    await r.session.whenIdle();
    r.out.take();
    assert.equal((await firehose(r, ERASE(0, 64))).at(-1), deviceResponse('NAK'));
    r.session.setFaults({});
    assert.equal((await firehose(r, ERASE(0, 64))).at(-1), deviceResponse('ACK'));
  });

  it('a power cut during Sahara silences the PBL', () => {
    const r = run();
    r.session.start();
    r.out.take();
    assert.equal(r.session.powerCut(), undefined);
    assert.equal(r.session.phase, 'power-cut');
    feed(r.session, helloResp(0));
    assert.deepEqual(r.out.take(), []);
  });
});
