import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MedicError } from '../core/errors.js';
import { identifyUsb, interfaceRole, type InterfaceRole, type UsbIdentity } from '../modem/usb-identities.js';

// Reads Linux's view of USB straight from sysfs (`/sys/bus/usb/devices`), not from udevadm, which
// many embedded systems lack (and which serialport's list() needs — ecosystem sheet §2.1). The
// root is injectable so tests and the simulator's tree (`<state>/sys`) use the same code.

export interface ScannedInterface {
  readonly number: number;
  readonly interfaceClass: number;
  readonly subClass: number;
  readonly protocol: number;
  readonly endpoints: number;
  readonly role: InterfaceRole;
  /** The kernel driver bound to it (option, qmi_wwan, qcserial, cdc_ether…), if any. */
  readonly driver?: string;
  /** tty names (ttyUSB2) and their device nodes (/dev/ttyUSB2). */
  readonly ttys: readonly { readonly name: string; readonly node: string }[];
  /** Network interfaces (wwan0, usb0) and usbmisc nodes (cdc-wdm0). */
  readonly netDevices: readonly string[];
  readonly usbmisc: readonly string[];
}

export interface ScannedDevice {
  /** The USB path, e.g. 1-1.2: stable for a port on the host, so a batch bench can label slots. */
  readonly usbPath: string;
  readonly sysfsPath: string;
  readonly vendorId: number;
  readonly productId: number;
  readonly identity: UsbIdentity;
  readonly manufacturer?: string;
  readonly product?: string;
  readonly serial?: string;
  readonly speedMbps?: number;
  /** power/control: "auto" means the kernel may autosuspend the module. */
  readonly powerControl?: string;
  readonly autosuspendDelayMs?: number;
  readonly interfaces: readonly ScannedInterface[];
  /** The device node per role, for the roles that have a tty: where to point `medic at`. */
  readonly ports: Readonly<Partial<Record<InterfaceRole, string>>>;
}

export interface ScanOptions {
  /** The sysfs mount, default /sys. */
  readonly sysfsRoot?: string;
  /** Where device nodes live, default /dev. */
  readonly devRoot?: string;
}

export async function scanUsb(options: ScanOptions = {}): Promise<ScannedDevice[]> {
  const sysfsRoot = options.sysfsRoot ?? '/sys';
  const devRoot = options.devRoot ?? '/dev';
  const devicesDir = join(sysfsRoot, 'bus', 'usb', 'devices');
  let entries: string[];
  try {
    entries = await readdir(devicesDir);
  } catch (error) {
    throw new MedicError('SYSFS_UNREADABLE', `cannot read ${devicesDir}`, {
      hint: sysfsRoot === '/sys'
        ? 'Is sysfs mounted (a container may hide it)? Run on the host the module is plugged into.'
        : 'Check --sysfs-root: it must be a directory with bus/usb/devices inside (for the simulator, its state directory\'s sys/).',
      cause: error,
    });
  }
  const devices: ScannedDevice[] = [];
  for (const name of entries.filter((entry) => !entry.includes(':') && !entry.startsWith('usb')).sort()) {
    const device = await readDevice(join(devicesDir, name), name, entries, devRoot).catch((error: unknown) => {
      // A device that goes away mid-scan (a module re-enumerating) is simply not there.
      if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
      throw error;
    });
    if (device !== undefined) devices.push(device);
  }
  return devices;
}

async function readDevice(path: string, usbPath: string, siblings: readonly string[], devRoot: string): Promise<ScannedDevice | undefined> {
  const vendorId = parseHex(await readAttr(path, 'idVendor'));
  const productId = parseHex(await readAttr(path, 'idProduct'));
  if (vendorId === undefined || productId === undefined) return undefined;
  const interfaceDirs = siblings.filter((entry) => entry.startsWith(`${usbPath}:`)).sort();
  const declared = Number((await readAttr(path, 'bNumInterfaces'))?.trim());
  const interfaceCount = Number.isFinite(declared) && declared > 0 ? declared : interfaceDirs.length;
  const identity = identifyUsb(vendorId, productId, interfaceCount);
  if (identity === undefined) return undefined;
  const interfaces: ScannedInterface[] = [];
  for (const dir of interfaceDirs) {
    const iface = await readInterface(join(dirname(path), dir), identity, devRoot);
    if (iface !== undefined) interfaces.push(iface);
  }
  interfaces.sort((a, b) => a.number - b.number);
  const ports: Partial<Record<InterfaceRole, string>> = {};
  for (const iface of interfaces) {
    const tty = iface.ttys[0];
    if (tty !== undefined && ports[iface.role] === undefined) ports[iface.role] = tty.node;
  }
  const manufacturer = await readAttr(path, 'manufacturer');
  const product = await readAttr(path, 'product');
  const serial = await readAttr(path, 'serial');
  const speed = Number(await readAttr(path, 'speed'));
  const powerControl = await readAttr(path, 'power/control');
  const delay = Number(await readAttr(path, 'power/autosuspend_delay_ms'));
  return {
    usbPath,
    sysfsPath: path,
    vendorId,
    productId,
    identity,
    ...(manufacturer === undefined ? {} : { manufacturer }),
    ...(product === undefined ? {} : { product }),
    ...(serial === undefined ? {} : { serial }),
    ...(Number.isFinite(speed) && speed > 0 ? { speedMbps: speed } : {}),
    ...(powerControl === undefined ? {} : { powerControl }),
    ...(Number.isFinite(delay) && powerControl !== undefined ? { autosuspendDelayMs: delay } : {}),
    interfaces,
    ports,
  };
}

async function readInterface(path: string, identity: UsbIdentity, devRoot: string): Promise<ScannedInterface | undefined> {
  const number = parseHex(await readAttr(path, 'bInterfaceNumber'));
  const interfaceClass = parseHex(await readAttr(path, 'bInterfaceClass'));
  const subClass = parseHex(await readAttr(path, 'bInterfaceSubClass'));
  const protocol = parseHex(await readAttr(path, 'bInterfaceProtocol'));
  const endpoints = parseHex(await readAttr(path, 'bNumEndpoints'));
  if (number === undefined || interfaceClass === undefined || subClass === undefined || protocol === undefined) return undefined;
  const descriptor = { number, interfaceClass, subClass, protocol, endpoints: endpoints ?? 0 };
  const driverLink = await readlink(join(path, 'driver')).catch(() => undefined);
  const children = await readdir(path).catch(() => [] as string[]);
  const ttyNames = new Set(children.filter((child) => /^tty(USB|ACM)\d+$/.test(child)));
  for (const name of await readdir(join(path, 'tty')).catch(() => [] as string[])) ttyNames.add(name);
  return {
    ...descriptor,
    role: interfaceRole(identity, descriptor),
    ...(driverLink === undefined ? {} : { driver: basename(driverLink) }),
    ttys: [...ttyNames].sort().map((name) => ({ name, node: join(devRoot, name) })),
    netDevices: (await readdir(join(path, 'net')).catch(() => [] as string[])).sort(),
    usbmisc: (await readdir(join(path, 'usbmisc')).catch(() => [] as string[])).sort(),
  };
}

async function readAttr(dir: string, name: string): Promise<string | undefined> {
  try {
    if (!(await stat(join(dir, name))).isFile()) return undefined;
    return (await readFile(join(dir, name), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

function parseHex(text: string | undefined): number | undefined {
  if (text === undefined || !/^(0x)?[0-9a-f]+$/i.test(text)) return undefined;
  return Number.parseInt(text, 16);
}
