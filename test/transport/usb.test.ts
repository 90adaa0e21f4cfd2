import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMedicError, type MedicError } from '../../src/core/errors.js';
import { backupModule, flashModule } from '../../src/flash/execute/index.js';
import { makePackage, inspectPartitionImage } from '../../src/sim/package/index.js';
import { TransportClosedError } from '../../src/transport/errors.js';
import { openUsbEdl } from '../../src/transport/usb.js';
import { nodeUsbLoader } from '../../src/transport/usb-webusb.js';
import { factoryModule, FAST_TIMEOUTS, FACTORY_REVISION, IMEI, partitionBytes } from '../helpers/edl-module.js';
import { runMedic } from '../helpers/medic.js';
import { waitFor } from '../helpers/wait.js';
import { FakeUsbDevice, fakeHost, simulatedEdlDevice } from './usb-fake-device.js';

// `medic flash --usb` over node-usb's WebUSB API, against a fake 9008 device that wraps the
// simulator's EDL session (a USB device is hardware CI cannot have), and the CLI on this machine.

const NEW_REVISION = 'EC25AFAR05A08M4G';
const EFS2_BYTES = 88 * 64 * 4096;

let work: string;
let packageDir: string;
let programmer: Uint8Array;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'medic-usb-'));
  packageDir = join(work, NEW_REVISION);
  await makePackage(packageDir, { size: 'small', revision: NEW_REVISION });
  programmer = new Uint8Array(await readFile(join(packageDir, 'update', 'firehose', 'prog_nand_firehose_9x07.mbn')));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<MedicError> {
  const error = await promise.then(() => assert.fail('expected a failure'), (caught: unknown) => caught);
  assert.ok(isMedicError(error), String(error));
  return error;
}

describe('openUsbEdl over a simulated 9008 device', () => {
  it('flashes a package: Sahara and Firehose over bulk transfers, verified, module reset; ZLPs only in Firehose', async () => {
    const module = await factoryModule(work);
    const efs2Before = partitionBytes(module, 'efs2', EFS2_BYTES);
    const { device } = simulatedEdlDevice(module);
    const transport = await openUsbEdl({ usb: fakeHost([device]) });
    assert.equal(transport.description, 'usb 05c6:9008');
    assert.deepEqual(device.claimed, [0]);
    const result = await flashModule(transport, { package: packageDir, moduleRevision: FACTORY_REVISION, unit: { imei: IMEI }, backup: { root: join(work, 'flash-backups') }, ...FAST_TIMEOUTS });
    await transport.close();
    assert.equal(result.outcome, 'flashed-and-verified');
    for (const name of ['sbl', 'modem']) assert.ok(inspectPartitionImage(module.nand, module.table, name).valid, name);
    assert.equal(inspectPartitionImage(module.nand, module.table, 'modem').valid && inspectPartitionImage(module.nand, module.table, 'modem').revision, NEW_REVISION);
    assert.deepEqual(new Uint8Array(await readFile(join(result.backupDirectory, 'efs2.bin'))), efs2Before);
    // QFirehose's rule (edl sheet §1.8, §2.8): Sahara's 4 KiB image chunks go without a ZLP…
    const sahara = device.outTransfers.filter((transfer) => transfer.phase === 'sahara');
    assert.ok(sahara.some((transfer) => transfer.length === 4096));
    assert.ok(!sahara.some((transfer) => transfer.length === 0));
    // …and every Firehose write that fills whole 512-byte packets is ended by one.
    const firehose = device.outTransfers.filter((transfer) => transfer.phase === 'firehose');
    const full = firehose.flatMap((transfer, index) => (transfer.length > 0 && transfer.length % 512 === 0 ? [index] : []));
    assert.ok(full.length > 0);
    for (const index of full) assert.equal(firehose[index + 1]?.length, 0);
  });

  it('backs up the calibration: what `medic backup --usb` saves equals the module\'s efs2', async () => {
    const module = await factoryModule(work);
    const { device } = simulatedEdlDevice(module);
    const transport = await openUsbEdl({ usb: fakeHost([device]) });
    try {
      const result = await backupModule(transport, { programmer, unit: { imei: IMEI }, backup: { directory: join(work, 'backup') }, ...FAST_TIMEOUTS });
      assert.deepEqual(new Uint8Array(await readFile(join(result.backupDirectory, 'efs2.bin'))), partitionBytes(module, 'efs2', EFS2_BYTES));
    } finally {
      await transport.close();
    }
  });
});

describe('openUsbEdl finding and claiming the device', () => {
  it('no device on the bus → USB_NO_DEVICE with a hint', async () => {
    const error = await failure(openUsbEdl({ usb: fakeHost([new FakeUsbDevice({ vendorId: 0x2c7c, productId: 0x0125 })]) }));
    assert.equal(error.code, 'USB_NO_DEVICE');
    assert.match(error.message, /05c6:9008/);
    assert.match(error.hint ?? '', /medic scan/);
  });

  it('a 9008 device the WebUSB wrapper could not open → USB_PERMISSION with a udev rule', async () => {
    const error = await failure(openUsbEdl({ usb: fakeHost([], [{ vendorId: 0x05c6, productId: 0x9008 }]) }));
    assert.equal(error.code, 'USB_PERMISSION');
    assert.match(error.hint ?? '', /udev/);
  });

  it('open refused by libusb → USB_PERMISSION; busy → USB_BUSY', async () => {
    const denied = new FakeUsbDevice();
    denied.openError = new Error('open error: LIBUSB_ERROR_ACCESS');
    assert.equal((await failure(openUsbEdl({ usb: fakeHost([denied]) }))).code, 'USB_PERMISSION');
    const busy = new FakeUsbDevice();
    busy.openError = new Error('claimInterface error: LIBUSB_ERROR_BUSY');
    const error = await failure(openUsbEdl({ usb: fakeHost([busy]) }));
    assert.equal(error.code, 'USB_BUSY');
    assert.match(error.hint ?? '', /qcserial/);
  });

  it('node-usb missing → USB_UNAVAILABLE with the serial-port alternative', async () => {
    // What import('usb') does where the optional dependency failed to install.
    const missing = (): Promise<unknown> => Promise.reject(Object.assign(new Error("Cannot find package 'usb' imported from medic"), { code: 'ERR_MODULE_NOT_FOUND' }));
    const error = await failure(openUsbEdl({ loadUsb: nodeUsbLoader(missing) }));
    assert.equal(error.code, 'USB_UNAVAILABLE');
    assert.match(error.hint ?? '', /npm install usb/);
    assert.match(error.hint ?? '', /--port \/dev\/ttyUSB0/);
  });

  it('picks the device by the serial the EDL firmware puts in iProduct, and a given VID:PID', async () => {
    const other = new FakeUsbDevice({ productName: 'QUSB_BULK_CID:0416_SN:00000001' });
    const wanted = new FakeUsbDevice({ productName: 'QUSB_BULK_CID:0416_SN:1A2B3C4D' });
    const transport = await openUsbEdl({ usb: fakeHost([other, wanted]), serial: '1a2b3c4d' });
    await transport.close();
    assert.deepEqual([other.claimed, wanted.opened], [[], false]);
    const error = await failure(openUsbEdl({ usb: fakeHost([other]), serial: '1a2b3c4d' }));
    assert.equal(error.code, 'USB_NO_DEVICE');
    const custom = new FakeUsbDevice({ vendorId: 0x05c6, productId: 0x900e });
    const second = await openUsbEdl({ usb: fakeHost([custom]), productId: 0x900e });
    assert.equal(second.description, 'usb 05c6:900e');
    await second.close();
  });

  it('a device without a bulk IN/OUT pair → USB_NO_INTERFACE', async () => {
    const device = new FakeUsbDevice({ configuration: { configurationValue: 1, interfaces: [{ interfaceNumber: 0, alternate: { interfaceClass: 0x03, endpoints: [{ endpointNumber: 1, direction: 'in', type: 'interrupt', packetSize: 8 }] } }] } });
    assert.equal((await failure(openUsbEdl({ usb: fakeHost([device]) }))).code, 'USB_NO_INTERFACE');
    assert.equal(device.opened, false);
  });
});

describe('the USB transport', () => {
  it('a read cancelled by its signal loses nothing: bytes that come later go to the next read', async () => {
    const device = new FakeUsbDevice();
    const transport = await openUsbEdl({ usb: fakeHost([device]) });
    const controller = new AbortController();
    const pending = transport.read(controller.signal);
    controller.abort();
    await assert.rejects(pending);
    device.deliver(new Uint8Array([1, 2, 3]));
    assert.deepEqual(await transport.read(), new Uint8Array([1, 2, 3]));
    await transport.close();
    assert.equal(transport.isOpen, false);
    await assert.rejects(transport.read(), (error: unknown) => error instanceof TransportClosedError && error.code === 'TRANSPORT_CLOSED');
  });

  it('stops asking the device for data while a slow reader has 4 MiB waiting, and every byte still arrives in order', async () => {
    const device = new FakeUsbDevice();
    const packets = Array.from({ length: 12 }, (_, index) => new Uint8Array(1024 * 1024).fill(index));
    for (const packet of packets) device.deliver(packet);
    const transport = await openUsbEdl({ usb: fakeHost([device]) });
    await waitFor(() => device.inTransfers >= 5);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // 4 MiB high-water mark, 1 MiB per transfer: the fifth transfer crosses it, then nothing more.
    assert.equal(device.inTransfers, 5);
    const received: number[] = [];
    let total = 0;
    while (total < 12 * 1024 * 1024) {
      const chunk = await transport.read();
      total += chunk.length;
      if (received.at(-1) !== chunk[0]) received.push(chunk[0] ?? -1);
    }
    assert.deepEqual(received, packets.map((_, index) => index));
    await transport.close();
  });

  it('the device leaving mid-read → TRANSPORT_DISCONNECTED, after the bytes it sent are read', async () => {
    const device = new FakeUsbDevice();
    const transport = await openUsbEdl({ usb: fakeHost([device]) });
    const pending = transport.read();
    device.deliver(new Uint8Array([0x3c]));
    assert.deepEqual(await pending, new Uint8Array([0x3c]));
    const next = transport.read();
    device.unplug();
    await assert.rejects(next, (error: unknown) => error instanceof TransportClosedError && error.code === 'TRANSPORT_DISCONNECTED' && error.disconnected);
    assert.equal(transport.isOpen, false);
    await assert.rejects(transport.write(new Uint8Array([1])), (error: unknown) => error instanceof TransportClosedError);
  });

  it('a write to a device that has gone → TRANSPORT_DISCONNECTED', async () => {
    const device = new FakeUsbDevice();
    const transport = await openUsbEdl({ usb: fakeHost([device]) });
    device.opened = false;
    await assert.rejects(transport.write(new Uint8Array([1, 2])), (error: unknown) => error instanceof TransportClosedError && error.disconnected);
  });
});

describe('medic flash / backup --usb', () => {
  it('on a machine with no 9008 device, `medic flash PKG --usb` exits 3 with USB_NO_DEVICE', async () => {
    const run = await runMedic(['flash', packageDir, '--usb', '--module-revision', FACTORY_REVISION, '--json', '--backup-dir', join(work, 'cli')]);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stdout, /USB_NO_DEVICE/);
    assert.match(run.stderr, /no USB device 05c6:9008/);
  });

  it('`medic backup PKG --usb 05c6:9008` exits 3 the same way', async () => {
    const run = await runMedic(['backup', packageDir, '--usb', '05c6:9008']);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /no USB device 05c6:9008/);
  });

  it('--usb with --port or --tcp, or a malformed VID:PID, is a usage error (exit 2)', async () => {
    for (const args of [['flash', packageDir, '--usb', '--port', '/dev/ttyUSB0'], ['backup', packageDir, '--usb', '--tcp', '127.0.0.1:9008'], ['flash', packageDir, '--usb', 'nine']]) {
      const run = await runMedic(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    }
  });
});
