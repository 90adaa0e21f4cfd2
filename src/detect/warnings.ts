import type { ScannedDevice } from './sysfs-scan.js';
import type { PortHolder } from './port-holders.js';

export interface ScanWarning {
  readonly code: 'PORT_HELD' | 'AUTOSUSPEND' | 'QCSERIAL_BOUND' | 'COMPOSITION_CHANGED' | 'NO_DRIVER';
  readonly message: string;
  readonly next: string;
}

/** What on the host gets in the way of talking to the module (issue #4 §1). */
export function scanWarnings(device: ScannedDevice, holders: Readonly<Record<string, readonly PortHolder[]>>): ScanWarning[] {
  const warnings: ScanWarning[] = [];
  for (const [node, list] of Object.entries(holders)) {
    if (list.length === 0) continue;
    const names = list.map((holder) => `${holder.command} (pid ${holder.pid})`).join(', ');
    const mm = list.some((holder) => holder.command === 'ModemManager');
    warnings.push({
      code: 'PORT_HELD',
      message: `${node} is open in ${names}`,
      next: mm
        ? 'ModemManager probes and holds Quectel ports: `systemctl stop ModemManager` while you work on the module (or tag the port ID_MM_PORT_IGNORE in udev).'
        : `Stop ${names} or point medic at another port; two programs on one port interleave their commands.`,
    });
  }
  if (device.powerControl === 'auto') {
    warnings.push({
      code: 'AUTOSUSPEND',
      message: `USB autosuspend is on for ${device.usbPath}${device.autosuspendDelayMs === undefined ? '' : ` (after ${device.autosuspendDelayMs} ms)`}`,
      next: `A suspended module answers late or drops URCs; for bench work: \`echo on > ${device.sysfsPath}/power/control\`.`,
    });
  }
  if (device.identity.mode === 'edl') {
    const edl = device.interfaces[0];
    if (edl?.driver === 'qcserial') {
      warnings.push({
        code: 'QCSERIAL_BOUND',
        message: `qcserial has the 9008 interface as ${edl.ttys[0]?.name ?? 'a tty'}`,
        next: 'Fine for `medic flash --port` on that tty. For `--usb` (libusb), unbind qcserial first or remove 05c6:9008 from it, as QFirehose\'s README says.',
      });
    }
  }
  if (device.identity.mode === 'normal' && device.interfaces.length > 1) {
    const roles = new Set(device.interfaces.map((iface) => iface.role));
    const missing = (['dm', 'at'] as const).filter((role) => !roles.has(role));
    if (missing.length > 0) {
      warnings.push({
        code: 'COMPOSITION_CHANGED',
        message: `no ${missing.map((role) => (role === 'dm' ? 'DM/DIAG' : 'AT')).join(' or ')} interface in this composition`,
        next: 'AT+QCFG="usbcfg" (persistent) disabled it: without DM the AT-less switch to EDL fails; without AT use the modem port (ttyUSB3) and restore usbcfg.',
      });
    }
    const unbound = device.interfaces.filter((iface) => iface.driver === undefined && iface.role !== 'unknown');
    if (unbound.length > 0) {
      warnings.push({
        code: 'NO_DRIVER',
        message: `no driver bound to interface ${unbound.map((iface) => iface.number).join(', ')}`,
        next: 'Load the option / qmi_wwan drivers (`modprobe option qmi_wwan`); a kernel older than 2020 may lack the dynamic Quectel entries.',
      });
    }
  }
  return warnings;
}
