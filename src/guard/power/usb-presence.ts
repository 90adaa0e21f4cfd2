import { scanUsb } from '../../detect/sysfs-scan.js';
import { formatUsbId } from '../../modem/usb-identities.js';

// What the module's USB says about it: normal mode, emergency download (05c6:9008, the boot ROM's
// EDL, quectel-ec25.md §5.1), or nothing. Read from sysfs (detect/sysfs-scan.ts), so the
// simulator's tree (<state>/sys) works the same as /sys.

export type UsbPresence = { readonly mode: 'absent' } | { readonly mode: 'normal' | 'edl' | 'other'; readonly usbId: string };

export interface UsbProbeOptions {
  readonly sysfsRoot: string;
  /** Only the device on this port counts. */
  readonly usbPath?: string;
}

export type UsbProbe = () => Promise<UsbPresence>;

export function usbProbe(options: UsbProbeOptions): UsbProbe {
  return async () => {
    const devices = await scanUsb({ sysfsRoot: options.sysfsRoot }).catch(() => []);
    const device = devices.find((candidate) => options.usbPath === undefined || candidate.usbPath === options.usbPath);
    if (device === undefined) return { mode: 'absent' };
    const usbId = formatUsbId(device.vendorId, device.productId);
    const mode = device.identity.mode === 'normal' || device.identity.mode === 'edl' ? device.identity.mode : 'other';
    return { mode, usbId };
  };
}
