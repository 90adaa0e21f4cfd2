import { createEdlSession, type EdlSession } from '../../src/sim/edl/edl-session.js';
import type { UsbConfigurationLike, UsbDeviceLike, UsbHost, UsbInResult, UsbOutResult } from '../../src/transport/usb-webusb.js';
import type { SimModule } from '../helpers/edl-module.js';

// A USB device we cannot have in CI: the 9008 interface of an EC25 as fwupd recorded it (edl
// sheet §1.8: one vendor interface ff/ff/ff, bulk EP 0x81 IN / 0x01 OUT, 512-byte packets), in the
// WebUSB shape node-usb v2 presents. Each device→host packet is one IN transfer, as on the wire.

export const EDL_CONFIGURATION: UsbConfigurationLike = {
  configurationValue: 1,
  interfaces: [{
    interfaceNumber: 0,
    alternate: {
      interfaceClass: 0xff,
      endpoints: [
        { endpointNumber: 1, direction: 'in', type: 'bulk', packetSize: 512 },
        { endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: 512 },
      ],
    },
  }],
};

export interface OutTransfer {
  readonly length: number;
  /** What the device was running when it arrived. */
  readonly phase: string;
}

export class FakeUsbDevice implements UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber = undefined;
  readonly productName: string;
  readonly configurations: readonly UsbConfigurationLike[];
  configuration: UsbConfigurationLike | null = null;
  opened = false;
  claimed: number[] = [];
  readonly outTransfers: OutTransfer[] = [];
  /** IN transfers the host has issued. */
  inTransfers = 0;
  /** Bytes the host sent (ZLPs left out). */
  onOut: (bytes: Uint8Array) => void = () => undefined;
  onClaim: () => void = () => undefined;
  phase: () => string = () => 'device';
  openError: Error | undefined;
  readonly #packets: Uint8Array[] = [];
  #waiting: { resolve: (result: UsbInResult) => void; reject: (error: Error) => void } | undefined;
  #gone = false;

  constructor(options: { vendorId?: number; productId?: number; productName?: string; configuration?: UsbConfigurationLike } = {}) {
    this.vendorId = options.vendorId ?? 0x05c6;
    this.productId = options.productId ?? 0x9008;
    this.productName = options.productName ?? 'QUSB_BULK_CID:0416_SN:1A2B3C4D';
    this.configurations = [options.configuration ?? EDL_CONFIGURATION];
  }

  /** The device sends one packet (one IN transfer). */
  deliver(bytes: Uint8Array): void {
    if (this.#gone) return;
    const waiter = this.#waiting;
    if (waiter === undefined) {
      this.#packets.push(bytes.slice());
      return;
    }
    this.#waiting = undefined;
    waiter.resolve(inResult(bytes));
  }

  /** Pulled off the bus: libusb fails every transfer with NO_DEVICE. */
  unplug(): void {
    this.#gone = true;
    this.#fail('LIBUSB_TRANSFER_NO_DEVICE');
  }

  open(): Promise<void> {
    if (this.openError !== undefined) return Promise.reject(this.openError);
    this.opened = true;
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.opened = false;
    this.#fail('LIBUSB_TRANSFER_CANCELLED');
    return Promise.resolve();
  }

  selectConfiguration(value: number): Promise<void> {
    this.configuration = this.configurations.find((entry) => entry.configurationValue === value) ?? null;
    return Promise.resolve();
  }

  claimInterface(interfaceNumber: number): Promise<void> {
    if (this.configuration === null) return Promise.reject(new Error('claimInterface error: invalid state'));
    this.claimed.push(interfaceNumber);
    this.onClaim();
    return Promise.resolve();
  }

  releaseInterface(interfaceNumber: number): Promise<void> {
    this.claimed = this.claimed.filter((value) => value !== interfaceNumber);
    this.#fail('LIBUSB_TRANSFER_CANCELLED');
    return Promise.resolve();
  }

  transferIn(_endpointNumber: number, length: number): Promise<UsbInResult> {
    if (!this.opened) return Promise.reject(new Error('transferIn error: LIBUSB_TRANSFER_NO_DEVICE'));
    this.inTransfers += 1;
    const packet = this.#packets.shift();
    if (packet !== undefined) {
      if (packet.length > length) this.#packets.unshift(packet.subarray(length));
      return Promise.resolve(inResult(packet.subarray(0, length)));
    }
    if (this.#gone) return Promise.reject(new Error('transferIn error: LIBUSB_TRANSFER_NO_DEVICE'));
    if (this.#waiting !== undefined) return Promise.reject(new Error('transferIn error: two transfers pending'));
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  transferOut(_endpointNumber: number, data: Uint8Array): Promise<UsbOutResult> {
    if (!this.opened || this.#gone) return Promise.reject(new Error('transferOut error: LIBUSB_ERROR_NO_DEVICE'));
    this.outTransfers.push({ length: data.length, phase: this.phase() });
    if (data.length > 0) this.onOut(data.slice());
    return Promise.resolve({ bytesWritten: data.length, status: 'ok' });
  }

  clearHalt(): Promise<void> {
    return Promise.resolve();
  }

  #fail(reason: string): void {
    const waiter = this.#waiting;
    this.#waiting = undefined;
    waiter?.reject(new Error(`transferIn error: ${reason}`));
  }
}

function inResult(bytes: Uint8Array): UsbInResult {
  const copy = bytes.slice();
  return { data: new DataView(copy.buffer), status: 'ok' };
}

/** A host with these devices on its bus. */
export function fakeHost(devices: readonly FakeUsbDevice[], listIds: readonly { vendorId: number; productId: number }[] = devices): UsbHost {
  return {
    getDevices: () => Promise.resolve(devices),
    listIds: () => listIds,
  };
}

/** The simulator's EDL session behind the fake 9008 interface; it starts talking once claimed. */
export function simulatedEdlDevice(module: SimModule): { device: FakeUsbDevice; session: EdlSession } {
  const device = new FakeUsbDevice();
  const session = createEdlSession({
    nand: module.nand,
    timeScale: 0,
    send: (bytes) => { device.deliver(bytes); },
    // After the reset (or a fault) the module leaves the bus.
    onReset: () => { setImmediate(() => { device.unplug(); }); },
    onStop: () => { device.unplug(); },
  });
  device.onOut = (bytes) => { session.receive(bytes); };
  device.onClaim = () => { session.start(); };
  device.phase = () => session.phase;
  return { device, session };
}
