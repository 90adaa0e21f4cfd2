import { scanUsb } from '../../detect/sysfs-scan.js';
import type { BatchUnit, SysfsView } from './types.js';

// Which modules a batch takes: every device in download mode (05c6:9008 and the other EDL ids of
// quectel-ec25.md §1.1) with its port, and — when asked — every module in normal mode that shows
// both a DM port (for the DIAG switch, §2.4) and an AT port (revision and IMEI first).
// One host has one sysfs tree; several views are accepted because each simulator has its own.

export interface DiscoverOptions {
  readonly views: readonly SysfsView[];
  readonly includeNormal?: boolean | undefined;
}

export interface Discovery {
  readonly units: readonly BatchUnit[];
  /** Modules seen but not taken, and why (no port, another mode). */
  readonly skipped: readonly { readonly usbPath: string; readonly reason: string }[];
}

export async function discoverUnits(options: DiscoverOptions): Promise<Discovery> {
  const units: BatchUnit[] = [];
  const skipped: { usbPath: string; reason: string }[] = [];
  const taken = new Set<string>();
  for (const view of options.views) {
    for (const device of await scanUsb(view)) {
      const { mode } = device.identity;
      const id = taken.has(device.usbPath) ? `${device.usbPath}@${view.sysfsRoot}` : device.usbPath;
      if (mode === 'edl') {
        const port = device.ports.edl ?? device.interfaces.flatMap((iface) => iface.ttys)[0]?.node;
        if (port === undefined) {
          skipped.push({ usbPath: device.usbPath, reason: 'in 9008 but no tty is bound (is qcserial loaded?)' });
          continue;
        }
        units.push({ id, usbPath: device.usbPath, mode: 'edl', port, view });
      } else if (mode === 'normal' && options.includeNormal === true) {
        const { dm, at } = device.ports;
        if (dm === undefined || at === undefined) {
          skipped.push({ usbPath: device.usbPath, reason: `in normal mode without ${dm === undefined ? 'a DM' : 'an AT'} port (AT+QCFG="usbcfg" may hide it)` });
          continue;
        }
        units.push({ id, usbPath: device.usbPath, mode: 'normal', port: dm, atPort: at, view });
      } else {
        skipped.push({ usbPath: device.usbPath, reason: mode === 'normal' ? 'in normal mode (add --include-normal to switch it to download mode)' : `in ${mode} mode` });
        continue;
      }
      taken.add(device.usbPath);
    }
  }
  return { units, skipped };
}
