import { MedicError } from '../core/errors.js';
import { sleep, withSignal } from '../core/time.js';
import type { ByteTransport } from './byte-transport.js';
import { ChunkQueue } from './chunk-queue.js';
import { TransportClosedError } from './errors.js';
import { loadNodeUsb, type UsbDeviceLike, type UsbEndpointLike, type UsbHost, type UsbInterfaceLike, type UsbLoader } from './usb-webusb.js';

// A module in download mode straight over USB (edl sheet §1.8): 05c6:9008, one vendor interface
// with a bulk IN and a bulk OUT endpoint. Unlike a qcserial tty, transfer boundaries survive, so
// "one read = one Sahara packet" holds as it does for qdl and fwupd.

export const EDL_VENDOR_ID = 0x05c6;
export const EDL_PRODUCT_ID = 0x9008;
/** One transferIn asks for this much: larger transfers are much faster (qdl PR #39). */
const TRANSFER_IN_BYTES = 1024 * 1024;
const VENDOR_CLASS = 0xff;

/**
 * When a write whose length is a multiple of the endpoint's packet size is ended by a
 * zero-length packet (edl sheet §1.8, §2.8). QFirehose (the vendor's tool for this module) sends
 * none in Sahara and one after every such Firehose write; qdl sends one always, and an open qdl
 * issue reports a ZLP after a Sahara READ_DATA reply stalls a QCS8550. 'firehose' follows
 * QFirehose. UNVERIFIED on a real EC25 NAND programmer: the sheet says its build parses
 * ZlpAwareHost but does not act on it.
 */
export type ZeroLengthPackets = 'firehose' | 'always' | 'never';

export interface UsbEdlOptions {
  readonly vendorId?: number;
  readonly productId?: number;
  /** The chip serial: iSerial, or the "_SN:<hex>_" the EDL firmware puts into iProduct (qdl src/qud.c). */
  readonly serial?: string;
  /** Keep looking for the device this long (after a switch to EDL it needs ~1–3 s); default: look once. */
  readonly timeoutMs?: number;
  /** The WebUSB-shaped host; default: node-usb loaded on demand. */
  readonly usb?: UsbHost;
  /** How node-usb is loaded (tests replace it to play a machine without it). */
  readonly loadUsb?: UsbLoader;
  readonly zeroLengthPackets?: ZeroLengthPackets;
}

/** The device could not be found, opened or claimed; `code` says which (USB_NO_DEVICE, USB_PERMISSION, USB_BUSY, USB_NO_INTERFACE, USB_OPEN_FAILED). */
export class UsbOpenError extends MedicError {}

/** Opens the first matching device in download mode and claims its bulk interface. */
export async function openUsbEdl(options: UsbEdlOptions = {}): Promise<ByteTransport> {
  const usb = options.usb ?? (await (options.loadUsb ?? loadNodeUsb)());
  const vendorId = options.vendorId ?? EDL_VENDOR_ID;
  const productId = options.productId ?? EDL_PRODUCT_ID;
  const id = `${hex4(vendorId)}:${hex4(productId)}`;
  const until = Date.now() + (options.timeoutMs ?? 0);
  for (;;) {
    const devices = (await usb.getDevices()).filter((device) => device.vendorId === vendorId && device.productId === productId);
    const device = devices.find((candidate) => matchesSerial(candidate, options.serial));
    if (device !== undefined) return claim(device, id, options.zeroLengthPackets ?? 'firehose');
    if (Date.now() >= until) throw notFound(usb, { vendorId, productId, id }, devices.length > 0 ? options.serial : undefined);
    await sleep(200);
  }
}

function matchesSerial(device: UsbDeviceLike, serial: string | undefined): boolean {
  if (serial === undefined) return true;
  const wanted = serial.toLowerCase().replace(/^0x/, '');
  if (device.serialNumber?.toLowerCase().replace(/^0x/, '') === wanted) return true;
  return device.productName?.toLowerCase().includes(`_sn:${wanted}`) === true;
}

function notFound(usb: UsbHost, wanted: { vendorId: number; productId: number; id: string }, serial: string | undefined): UsbOpenError {
  if (serial !== undefined) {
    return new UsbOpenError('USB_NO_DEVICE', `no ${wanted.id} device with serial ${serial}`, {
      hint: '`medic scan` lists what is attached; the EDL serial is the one `medic backup` names its folder after when no IMEI is known.',
    });
  }
  const listed = usb.listIds?.().some((device) => device.vendorId === wanted.vendorId && device.productId === wanted.productId) === true;
  if (listed) return permissionDenied(wanted.id, undefined);
  return new UsbOpenError('USB_NO_DEVICE', `no USB device ${wanted.id} (Qualcomm download mode, "QDLoader 9008") found`, {
    hint: '`medic scan` shows what the host sees. A module running normal firmware is 2c7c:0125: switch it with `medic flash --port <DM port> --at-port <AT port>`; one that shows nothing may need USB_BOOT strapped to VDD_EXT at power-on.',
  });
}

function permissionDenied(id: string, cause: unknown): UsbOpenError {
  return new UsbOpenError('USB_PERMISSION', `no permission to open USB device ${id}`, {
    hint: `Add a udev rule, e.g. /etc/udev/rules.d/51-qcom-edl.rules: SUBSYSTEM=="usb", ATTR{idVendor}=="${id.slice(0, 4)}", ATTR{idProduct}=="${id.slice(5)}", MODE="0666" — then \`sudo udevadm control --reload && sudo udevadm trigger\` and replug; or run as root.`,
    cause,
  });
}

interface BulkPair {
  readonly iface: UsbInterfaceLike;
  readonly in: UsbEndpointLike;
  readonly out: UsbEndpointLike;
}

function bulkPair(iface: UsbInterfaceLike): BulkPair | undefined {
  const bulk = iface.alternate.endpoints.filter((endpoint) => endpoint.type === 'bulk');
  const inEndpoint = bulk.find((endpoint) => endpoint.direction === 'in');
  const outEndpoint = bulk.find((endpoint) => endpoint.direction === 'out');
  return inEndpoint === undefined || outEndpoint === undefined ? undefined : { iface, in: inEndpoint, out: outEndpoint };
}

async function claim(device: UsbDeviceLike, id: string, zlp: ZeroLengthPackets): Promise<ByteTransport> {
  try {
    await device.open();
    let configuration = device.configuration;
    if (configuration === null || configuration === undefined) {
      const first = device.configurations[0];
      if (first === undefined) throw new UsbOpenError('USB_NO_INTERFACE', `USB device ${id} has no configuration`);
      await device.selectConfiguration(first.configurationValue);
      configuration = device.configuration ?? first;
    }
    const pairs = configuration.interfaces.map(bulkPair).filter((pair) => pair !== undefined);
    const pair = pairs.find((candidate) => candidate.iface.alternate.interfaceClass === VENDOR_CLASS) ?? pairs[0];
    if (pair === undefined) {
      throw new UsbOpenError('USB_NO_INTERFACE', `USB device ${id} has no interface with a bulk IN and a bulk OUT endpoint`, {
        hint: 'This is not a Qualcomm download-mode (9008) interface; check the VID:PID given to --usb.',
      });
    }
    // node-usb's WebUSB wrapper detaches qcserial here (auto-detach is on by default on Linux).
    await device.claimInterface(pair.iface.interfaceNumber);
    return new UsbTransport(device, pair, { description: `usb ${id}`, zlp });
  } catch (error) {
    await device.close().catch(() => undefined);
    throw describeOpenError(id, error);
  }
}

function describeOpenError(id: string, error: unknown): MedicError {
  if (error instanceof MedicError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/ACCESS|EACCES|EPERM|permission/i.test(message)) return permissionDenied(id, error);
  if (/BUSY|EBUSY/i.test(message)) {
    return new UsbOpenError('USB_BUSY', `USB device ${id} is in use by another program or driver`, {
      hint: 'Another flasher (QFirehose, qdl, QFIL) holds it, or qcserial could not be detached: close the other program, or drop the ID from qcserial (`echo 05c6 9008 | sudo tee /sys/bus/usb-serial/drivers/qcserial/remove_id`) and use --port instead.',
      cause: error,
    });
  }
  if (/NO_DEVICE|ENODEV/i.test(message)) {
    return new TransportClosedError(`usb ${id}: the device went away while it was being opened`, true, { hint: 'Check the cable and `medic scan`.', cause: error });
  }
  return new UsbOpenError('USB_OPEN_FAILED', `cannot open USB device ${id}: ${message}`, { cause: error });
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

const XML_START = [0x3c, 0x3f, 0x78, 0x6d, 0x6c] as const; // "<?xml"

function startsWithXml(bytes: Uint8Array): boolean {
  return XML_START.every((byte, index) => bytes[index] === byte);
}

class UsbTransport implements ByteTransport {
  readonly #device: UsbDeviceLike;
  readonly #pair: BulkPair;
  readonly #queue = new ChunkQueue();
  readonly #zlp: ZeroLengthPackets;
  readonly description: string;
  #closing = false;
  /** Firehose speaks XML; Sahara never does. Seen in either direction, ZLPs follow QFirehose. */
  #firehose = false;

  constructor(device: UsbDeviceLike, pair: BulkPair, options: { description: string; zlp: ZeroLengthPackets }) {
    this.#device = device;
    this.#pair = pair;
    this.#zlp = options.zlp;
    this.description = options.description;
    void this.#pump();
  }

  get isOpen(): boolean {
    return !this.#queue.ended && !this.#closing;
  }

  read(signal?: AbortSignal): Promise<Uint8Array> {
    return this.#queue.read(signal);
  }

  readInto(into: Uint8Array, signal?: AbortSignal): Promise<number> {
    return this.#queue.readInto(into, signal);
  }

  async write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    if (!this.isOpen) throw this.#closedError();
    if (startsWithXml(data)) this.#firehose = true;
    try {
      await withSignal(this.#transferOut(data), signal);
      if (data.length > 0 && data.length % this.#pair.out.packetSize === 0 && this.#wantsZlp()) await withSignal(this.#transferOut(new Uint8Array(0)), signal);
    } catch (error) {
      if (error instanceof MedicError) throw error;
      if (this.#closing) throw new TransportClosedError(`${this.description} is closed`, false, { cause: error });
      throw this.#disconnected(error);
    }
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#queue.end(new TransportClosedError(`${this.description} is closed`, false));
    // A transferIn may still be pending; releasing the interface cancels it in libusb. UNVERIFIED
    // on real hardware whether node-usb v2 rejects that pending transfer or leaves it hanging.
    await this.#device.releaseInterface(this.#pair.iface.interfaceNumber).catch(() => undefined);
    await this.#device.close().catch(() => undefined);
  }

  /** A method, not the field: TypeScript would narrow `#closing` across the awaits of the pump. */
  #stopped(): boolean {
    return this.#closing || this.#queue.ended;
  }

  #wantsZlp(): boolean {
    return this.#zlp === 'always' || (this.#zlp === 'firehose' && this.#firehose);
  }

  async #transferOut(data: Uint8Array): Promise<void> {
    const result = await this.#device.transferOut(this.#pair.out.endpointNumber, data);
    if (result.status === 'stall') {
      await this.#device.clearHalt('out', this.#pair.out.endpointNumber).catch(() => undefined);
      throw new MedicError('USB_STALL', `${this.description}: the device stalled the OUT endpoint`, {
        hint: 'The device refused the transfer. Power-cycle the module (it comes back in 9008) and try again.',
      });
    }
  }

  #closedError(): TransportClosedError {
    return new TransportClosedError(`${this.description} is closed`, false);
  }

  #disconnected(cause: unknown): TransportClosedError {
    const error = new TransportClosedError(`${this.description}: the device went away`, true, {
      hint: 'The module dropped off USB: it reset, powered off, or re-enumerated. `medic scan` shows what the host sees now; a module that fell back to 9008 can be flashed again.',
      cause,
    });
    this.#queue.end(error);
    void this.#device.close().catch(() => undefined);
    return error;
  }

  async #pump(): Promise<void> {
    const endpoint = this.#pair.in.endpointNumber;
    for (;;) {
      // USB only delivers what the host asks for: past the high-water mark, ask for nothing.
      if (this.#queue.full) await this.#queue.room();
      if (this.#stopped()) return;
      try {
        const result = await this.#device.transferIn(endpoint, TRANSFER_IN_BYTES);
        if (this.#stopped()) return;
        if (result.status === 'stall') {
          await this.#device.clearHalt('in', endpoint);
          continue;
        }
        if (result.status === 'babble') throw new Error('babble on the IN endpoint');
        const view = result.data;
        // A device ZLP (WinUSB surfaces one at Firehose's rawmode turn, qdl PR #270) carries nothing.
        if (view === undefined || view.byteLength === 0) continue;
        const bytes = new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
        if (startsWithXml(bytes)) this.#firehose = true;
        this.#queue.push(bytes);
      } catch (error) {
        if (this.#stopped()) return;
        this.#disconnected(error);
        return;
      }
    }
  }
}
