import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// Writes Linux-shaped sysfs trees for scanner tests: the device directory under sys/devices with
// the bus/usb/devices entries as symlinks, the way the kernel lays it out.

export interface FixtureInterface {
  readonly number: number;
  /** class/subclass/protocol as two-digit hex, e.g. 'ff/ff/ff'. */
  readonly csp: string;
  readonly endpoints: number;
  readonly driver?: string;
  readonly tty?: string;
  readonly net?: string;
  readonly usbmisc?: string;
}

export interface FixtureDevice {
  readonly usbPath: string;
  readonly vid: string;
  readonly pid: string;
  readonly manufacturer?: string;
  readonly product?: string;
  readonly powerControl?: 'on' | 'auto';
  readonly interfaces: readonly FixtureInterface[];
}

export async function writeUsbTree(root: string, devices: readonly FixtureDevice[]): Promise<void> {
  const busDir = join(root, 'bus', 'usb', 'devices');
  await mkdir(busDir, { recursive: true });
  for (const device of devices) {
    const real = join(root, 'devices', 'pci0000:00', '0000:00:14.0', 'usb1', device.usbPath);
    await mkdir(join(real, 'power'), { recursive: true });
    const attrs: Record<string, string> = {
      idVendor: device.vid,
      idProduct: device.pid,
      bNumInterfaces: String(device.interfaces.length).padStart(2, ' '),
      speed: '480',
      ...(device.manufacturer === undefined ? {} : { manufacturer: device.manufacturer }),
      ...(device.product === undefined ? {} : { product: device.product }),
    };
    for (const [name, value] of Object.entries(attrs)) await writeFile(join(real, name), `${value}\n`);
    await writeFile(join(real, 'power', 'control'), `${device.powerControl ?? 'on'}\n`);
    await writeFile(join(real, 'power', 'autosuspend_delay_ms'), '2000\n');
    await symlink(real, join(busDir, device.usbPath));
    for (const iface of device.interfaces) {
      const name = `${device.usbPath}:1.${iface.number}`;
      const dir = join(real, name);
      await mkdir(dir, { recursive: true });
      const [cls = '00', sub = '00', proto = '00'] = iface.csp.split('/');
      const values: Record<string, string> = {
        bInterfaceNumber: iface.number.toString(16).padStart(2, '0'),
        bInterfaceClass: cls,
        bInterfaceSubClass: sub,
        bInterfaceProtocol: proto,
        bNumEndpoints: iface.endpoints.toString(16).padStart(2, '0'),
      };
      for (const [attr, value] of Object.entries(values)) await writeFile(join(dir, attr), `${value}\n`);
      if (iface.driver !== undefined) {
        const driverDir = join(root, 'bus', 'usb', 'drivers', iface.driver);
        await mkdir(driverDir, { recursive: true });
        await symlink(driverDir, join(dir, 'driver')).catch(() => undefined);
      }
      if (iface.tty !== undefined) await mkdir(join(dir, iface.tty, 'tty', iface.tty), { recursive: true });
      if (iface.net !== undefined) await mkdir(join(dir, 'net', iface.net), { recursive: true });
      if (iface.usbmisc !== undefined) await mkdir(join(dir, 'usbmisc', iface.usbmisc), { recursive: true });
      await symlink(dir, join(busDir, name));
    }
  }
}

/** EC25 in the default QMI composition (quectel-ec25.md §1.2). */
export const ec25Qmi: FixtureDevice = {
  usbPath: '1-1',
  vid: '2c7c',
  pid: '0125',
  manufacturer: 'Quectel',
  product: 'EC25-AF',
  interfaces: [
    { number: 0, csp: 'ff/ff/ff', endpoints: 2, driver: 'option', tty: 'ttyUSB0' },
    { number: 1, csp: 'ff/00/00', endpoints: 3, driver: 'option', tty: 'ttyUSB1' },
    { number: 2, csp: 'ff/00/00', endpoints: 3, driver: 'option', tty: 'ttyUSB2' },
    { number: 3, csp: 'ff/00/00', endpoints: 3, driver: 'option', tty: 'ttyUSB3' },
    { number: 4, csp: 'ff/ff/ff', endpoints: 3, driver: 'qmi_wwan', net: 'wwan0', usbmisc: 'cdc-wdm0' },
  ],
};
