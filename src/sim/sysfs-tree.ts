// A sysfs-shaped view of the simulated USB device under <stateDir>/sys, so that host code that
// scans /sys (QFirehose's way, §2.3; ModemManager's udev view, §1.4) can be pointed at it. File
// names and formats follow drivers/usb/core/sysfs.c. A device appears whole: it is built in a
// staging directory and renamed into place, then the bus/class/driver links are added; it goes
// links first, then the directory.
import { mkdir, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { UsageError } from '../core/errors.js';
import { DRIVER_NAMES, modalias, type BoundInterface } from './drivers.js';
import type { UsbDeviceSpec } from './usb-view.js';

/** The host controller every simulated device hangs off (an Intel xHCI, as on most PCs). */
const CONTROLLER = join('devices', 'pci0000:00', '0000:00:14.0');
const USB_SERIAL_DRIVERS: Readonly<Record<string, string>> = { option: 'option1', qcserial: 'qcserial' };

export interface UsbPath {
  readonly bus: number;
  /** The device directory chain, e.g. ['1-1', '1-1.2'] for 1-1.2 (behind a hub on port 1). */
  readonly chain: readonly string[];
  readonly name: string;
  /** devpath: the port chain after the bus, e.g. "1.2". */
  readonly devpath: string;
}

export function parseUsbPath(path: string): UsbPath {
  const match = /^(\d{1,2})-(\d{1,2}(?:\.\d{1,2}){0,5})$/.exec(path);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new UsageError(`${path} is not a USB port path`, { hint: 'Use the kernel form <bus>-<port>[.<port>…], e.g. 1-1 or 2-1.4.' });
  }
  const ports = match[2].split('.');
  const chain = ports.map((_, i) => `${match[1] ?? ''}-${ports.slice(0, i + 1).join('.')}`);
  return { bus: Number(match[1]), chain, name: path, devpath: match[2] };
}

const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0');

export class SysfsTree {
  readonly root: string;
  readonly usbPath: UsbPath;
  readonly #links: string[] = [];
  #present = false;
  #staging = 0;

  constructor(root: string, usbPath: string) {
    this.root = root;
    this.usbPath = parseUsbPath(usbPath);
  }

  /** Absolute path of the device directory while it is present. */
  get deviceDir(): string {
    return join(this.root, CONTROLLER, `usb${this.usbPath.bus}`, ...this.usbPath.chain);
  }

  get present(): boolean {
    return this.#present;
  }

  /** The parts that exist with or without a module: buses, drivers, classes, the root hub. */
  async init(): Promise<void> {
    const dirs = [
      'bus/usb/devices',
      'bus/usb/drivers/usb',
      ...DRIVER_NAMES.map((driver) => `bus/usb/drivers/${driver}`),
      'bus/usb-serial/devices',
      ...Object.values(USB_SERIAL_DRIVERS).map((driver) => `bus/usb-serial/drivers/${driver}`),
      'class/tty',
      'class/net',
      'class/usbmisc',
      '.staging',
    ];
    for (const dir of dirs) await mkdir(join(this.root, dir), { recursive: true });
    const hub = join(this.root, CONTROLLER, `usb${this.usbPath.bus}`);
    await mkdir(hub, { recursive: true });
    const { bus } = this.usbPath;
    await writeFiles(hub, {
      idVendor: '1d6b\n',
      idProduct: '0002\n',
      bcdDevice: '0606\n',
      bDeviceClass: '09\n',
      bNumInterfaces: ' 1\n',
      manufacturer: 'Linux 6.6.0 xhci-hcd\n',
      product: 'xHCI Host Controller\n',
      speed: '480\n',
      busnum: `${bus}\n`,
      devnum: '1\n',
      devpath: '0\n',
      version: ' 2.00\n',
      uevent: `MAJOR=189\nMINOR=${(bus - 1) * 128}\nDEVNAME=bus/usb/${String(bus).padStart(3, '0')}/001\nDEVTYPE=usb_device\nDRIVER=usb\nPRODUCT=1d6b/2/606\nTYPE=9/0/1\nBUSNUM=${String(bus).padStart(3, '0')}\nDEVNUM=001\n`,
    });
    // Parent hubs of a nested path (1-1 for 1-1.2) are plain directories here.
    if (this.usbPath.chain.length > 1) await mkdir(join(hub, ...this.usbPath.chain.slice(0, -1)), { recursive: true });
    await this.#link(join(this.root, 'bus/usb/devices', `usb${bus}`), hub, false);
  }

  /** Presents `device` (bound as `bound`) with USB device number `devnum`. */
  async show(device: UsbDeviceSpec, bound: readonly BoundInterface[], devnum: number): Promise<void> {
    if (this.#present) await this.remove();
    const final = this.deviceDir;
    this.#staging += 1;
    const staging = join(this.root, '.staging', `${this.usbPath.name}-${process.pid}-${this.#staging}`);
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await this.#writeDevice(staging, final, { device, bound, devnum });
    await rm(final, { recursive: true, force: true });
    await mkdir(dirname(final), { recursive: true });
    await rename(staging, final);
    this.#present = true;
    const name = this.usbPath.name;
    await this.#link(join(this.root, 'bus/usb/devices', name), final);
    for (const entry of bound) {
      const ifName = `${name}:1.${entry.spec.number}`;
      const ifDir = join(final, ifName);
      await this.#link(join(this.root, 'bus/usb/devices', ifName), ifDir);
      if (entry.driver !== undefined) await this.#link(join(this.root, 'bus/usb/drivers', entry.driver, ifName), ifDir);
      if (entry.tty !== undefined) {
        await this.#link(join(this.root, 'bus/usb-serial/devices', entry.tty), join(ifDir, entry.tty));
        await this.#link(join(this.root, 'class/tty', entry.tty), join(ifDir, entry.tty, 'tty', entry.tty));
      }
      if (entry.net !== undefined) await this.#link(join(this.root, 'class/net', entry.net), join(ifDir, 'net', entry.net));
      if (entry.usbmisc !== undefined) await this.#link(join(this.root, 'class/usbmisc', entry.usbmisc), join(ifDir, 'usbmisc', entry.usbmisc));
    }
  }

  /** The device is gone from the bus. */
  async remove(): Promise<void> {
    for (const link of this.#links.splice(0).reverse()) await unlink(link).catch(() => undefined);
    if (!this.#present) return;
    this.#present = false;
    this.#staging += 1;
    const trash = join(this.root, '.staging', `gone-${process.pid}-${this.#staging}`);
    await rename(this.deviceDir, trash).catch(() => undefined);
    await rm(trash, { recursive: true, force: true });
  }

  /** The simulator stops: the whole tree goes. */
  async destroy(): Promise<void> {
    await this.remove();
    await rm(this.root, { recursive: true, force: true });
  }

  async #writeDevice(dir: string, final: string, { device, bound, devnum }: { device: UsbDeviceSpec; bound: readonly BoundInterface[]; devnum: number }): Promise<void> {
    const { bus, devpath } = this.usbPath;
    const product = `${device.vendorId.toString(16)}/${device.productId.toString(16)}/${device.bcdDevice.toString(16)}`;
    const type = `${device.deviceClass}/${device.deviceSubClass}/${device.deviceProtocol}`;
    const busnum3 = String(bus).padStart(3, '0');
    const devnum3 = String(devnum).padStart(3, '0');
    await writeFiles(dir, {
      idVendor: `${hex(device.vendorId, 4)}\n`,
      idProduct: `${hex(device.productId, 4)}\n`,
      bcdDevice: `${hex(device.bcdDevice, 4)}\n`,
      bDeviceClass: `${hex(device.deviceClass, 2)}\n`,
      bDeviceSubClass: `${hex(device.deviceSubClass, 2)}\n`,
      bDeviceProtocol: `${hex(device.deviceProtocol, 2)}\n`,
      bNumInterfaces: `${String(device.interfaces.length).padStart(2, ' ')}\n`,
      bConfigurationValue: '1\n',
      bNumConfigurations: '1\n',
      bmAttributes: `${device.bmAttributes.toString(16).padStart(2, ' ')}\n`,
      bMaxPower: `${device.maxPowerMa}mA\n`,
      bMaxPacketSize0: '64\n',
      manufacturer: `${device.manufacturer}\n`,
      product: `${device.product}\n`,
      speed: '480\n',
      version: ' 2.00\n',
      busnum: `${bus}\n`,
      devnum: `${devnum}\n`,
      devpath: `${devpath}\n`,
      maxchild: '0\n',
      authorized: '1\n',
      uevent: `MAJOR=189\nMINOR=${(bus - 1) * 128 + devnum - 1}\nDEVNAME=bus/usb/${busnum3}/${devnum3}\nDEVTYPE=usb_device\nDRIVER=usb\nPRODUCT=${product}\nTYPE=${type}\nBUSNUM=${busnum3}\nDEVNUM=${devnum3}\n`,
    });
    await this.#relLink(join(dir, 'driver'), join(final, 'driver'), join(this.root, 'bus/usb/drivers/usb'));
    await this.#relLink(join(dir, 'subsystem'), join(final, 'subsystem'), join(this.root, 'bus/usb'));
    for (const entry of bound) {
      const { spec } = entry;
      const ifName = `${this.usbPath.name}:1.${spec.number}`;
      const ifDir = join(dir, ifName);
      const finalIf = join(final, ifName);
      await mkdir(ifDir);
      await writeFiles(ifDir, {
        bInterfaceNumber: `${hex(spec.number, 2)}\n`,
        bAlternateSetting: ' 0\n',
        bInterfaceClass: `${hex(spec.cls, 2)}\n`,
        bInterfaceSubClass: `${hex(spec.subclass, 2)}\n`,
        bInterfaceProtocol: `${hex(spec.protocol, 2)}\n`,
        bNumEndpoints: `${hex(spec.endpoints, 2)}\n`,
        modalias: `${modalias(device, spec)}\n`,
        supports_autosuspend: '1\n',
        authorized: '1\n',
        uevent: `DEVTYPE=usb_interface\n${entry.driver === undefined ? '' : `DRIVER=${entry.driver}\n`}PRODUCT=${product}\nTYPE=${type}\nINTERFACE=${spec.cls}/${spec.subclass}/${spec.protocol}\nMODALIAS=${modalias(device, spec)}\n`,
      });
      await this.#relLink(join(ifDir, 'subsystem'), join(finalIf, 'subsystem'), join(this.root, 'bus/usb'));
      if (entry.driver !== undefined) await this.#relLink(join(ifDir, 'driver'), join(finalIf, 'driver'), join(this.root, 'bus/usb/drivers', entry.driver));
      if (entry.tty !== undefined) await this.#writeTty(ifDir, finalIf, entry);
      if (entry.usbmisc !== undefined) {
        const minor = Number(entry.usbmisc.replace(/\D/g, ''));
        await mkdir(join(ifDir, 'usbmisc', entry.usbmisc), { recursive: true });
        await writeFiles(join(ifDir, 'usbmisc', entry.usbmisc), { dev: `180:${minor}\n`, uevent: `MAJOR=180\nMINOR=${minor}\nDEVNAME=${entry.usbmisc}\n` });
      }
      if (entry.net !== undefined) {
        await mkdir(join(ifDir, 'net', entry.net), { recursive: true });
        const devtype = entry.net.startsWith('wwan') ? 'DEVTYPE=wwan\n' : '';
        await writeFiles(join(ifDir, 'net', entry.net), { uevent: `${devtype}INTERFACE=${entry.net}\nIFINDEX=${3 + spec.number}\n` });
      }
    }
  }

  async #writeTty(ifDir: string, finalIf: string, entry: BoundInterface): Promise<void> {
    const tty = entry.tty ?? '';
    const minor = Number(tty.replace(/\D/g, ''));
    const portDir = join(ifDir, tty);
    await mkdir(join(portDir, 'tty', tty), { recursive: true });
    const serialDriver = USB_SERIAL_DRIVERS[entry.driver ?? ''] ?? entry.driver ?? '';
    await writeFiles(portDir, { port_number: '0\n', uevent: `DRIVER=${serialDriver}\n` });
    await this.#relLink(join(portDir, 'driver'), join(finalIf, tty, 'driver'), join(this.root, 'bus/usb-serial/drivers', serialDriver));
    // ttyUSB is char major 188.
    await writeFiles(join(portDir, 'tty', tty), { dev: `188:${minor}\n`, uevent: `MAJOR=188\nMINOR=${minor}\nDEVNAME=${tty}\n` });
  }

  /** A relative symlink at `at` (inside staging) that resolves correctly from `finalAt`. */
  async #relLink(at: string, finalAt: string, target: string): Promise<void> {
    await symlink(relative(dirname(finalAt), target), at);
  }

  /** A relative symlink created under a temporary name and renamed into place (atomic). */
  async #link(at: string, target: string, track = true): Promise<void> {
    const temporary = `${at}.tmp-${process.pid}`;
    await unlink(temporary).catch(() => undefined);
    await symlink(relative(dirname(at), target), temporary);
    await rename(temporary, at);
    if (track) this.#links.push(at);
  }
}

async function writeFiles(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
}
