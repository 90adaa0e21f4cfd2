// Which Linux driver binds each interface and what node it makes, as data (§1.3). The simulator
// plays the kernel's part here so that its sysfs tree and /dev links look like a real host's.
import { hex4, usbId, type UsbDeviceSpec, type UsbInterfaceSpec } from './usb-view.js';

export type DriverNode = 'tty' | 'qmi' | 'net' | 'mbim';

interface DriverRule {
  readonly driver: string;
  /** vvvv:pppp the driver's id table lists; undefined = matched by class alone. */
  readonly ids?: readonly string[];
  readonly matches: (spec: UsbInterfaceSpec) => boolean;
  readonly node: DriverNode;
  /** CDC drivers claim the data interface that follows the control one. */
  readonly claimsNext?: boolean;
}

/** Quectel ids option and qmi_wwan list for this family (§1.3, LNX-OPT, LNX-QMI). */
const QUECTEL_IDS = ['2c7c:0125', '2c7c:0121', '2c7c:0191', '2c7c:0195', '2c7c:0296', '2c7c:0306'];

const classIs = (spec: UsbInterfaceSpec, cls: number, subclass: number, protocol?: number): boolean =>
  spec.cls === cls && spec.subclass === subclass && (protocol === undefined || spec.protocol === protocol);

export const DRIVER_RULES: readonly DriverRule[] = [
  // Since MORK20: ff/ff/ff with exactly 2 endpoints (DM) and ff/00/00 (NMEA, AT, modem).
  { driver: 'option', ids: QUECTEL_IDS, matches: (s) => (classIs(s, 0xff, 0xff, 0xff) && s.endpoints === 2) || classIs(s, 0xff, 0x00, 0x00), node: 'tty' },
  // The QMI interface is ff/ff/ff with 3 endpoints.
  { driver: 'qmi_wwan', ids: QUECTEL_IDS, matches: (s) => classIs(s, 0xff, 0xff, 0xff) && s.endpoints === 3, node: 'qmi' },
  // qcserial takes 05c6:9008 as a "Generic Gobi QDL device" (§1.3).
  { driver: 'qcserial', ids: ['05c6:9008'], matches: () => true, node: 'tty' },
  { driver: 'cdc_ether', matches: (s) => classIs(s, 0x02, 0x06), node: 'net', claimsNext: true },
  { driver: 'cdc_mbim', matches: (s) => classIs(s, 0x02, 0x0e), node: 'mbim', claimsNext: true },
  { driver: 'rndis_host', matches: (s) => classIs(s, 0xe0, 0x01, 0x03), node: 'net', claimsNext: true },
];

export const DRIVER_NAMES = [...new Set(DRIVER_RULES.map((rule) => rule.driver))];

export interface BoundInterface {
  readonly spec: UsbInterfaceSpec;
  readonly driver: string | undefined;
  /** ttyUSBn for serial functions. */
  readonly tty?: string;
  /** Network interface (wwan0, usb0) and QMI/MBIM control node (cdc-wdm0). */
  readonly net?: string;
  readonly usbmisc?: string;
}

/** Binds drivers in interface order, numbering ttyUSB / cdc-wdm / net nodes as the kernel would. */
export function bindDrivers(device: UsbDeviceSpec): BoundInterface[] {
  const id = usbId(device);
  let ttys = 0;
  let wdms = 0;
  let wwans = 0;
  let usbs = 0;
  const bound: BoundInterface[] = [];
  let claimedBy: string | undefined;
  for (const spec of device.interfaces) {
    if (claimedBy !== undefined) {
      bound.push({ spec, driver: claimedBy });
      claimedBy = undefined;
      continue;
    }
    const rule = DRIVER_RULES.find((r) => (r.ids === undefined || r.ids.includes(id)) && r.matches(spec));
    if (rule === undefined) {
      bound.push({ spec, driver: undefined });
      continue;
    }
    if (rule.claimsNext === true) claimedBy = rule.driver;
    switch (rule.node) {
      case 'tty':
        bound.push({ spec, driver: rule.driver, tty: `ttyUSB${ttys++}` });
        break;
      case 'qmi':
      case 'mbim':
        bound.push({ spec, driver: rule.driver, usbmisc: `cdc-wdm${wdms++}`, net: `wwan${wwans++}` });
        break;
      case 'net':
        bound.push({ spec, driver: rule.driver, net: `usb${usbs++}` });
        break;
    }
  }
  return bound;
}

/** The kernel's modalias of an interface (drivers/usb/core/message.c format). */
export function modalias(device: UsbDeviceSpec, spec: UsbInterfaceSpec): string {
  const h2 = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
  return `usb:v${hex4(device.vendorId).toUpperCase()}p${hex4(device.productId).toUpperCase()}d${hex4(device.bcdDevice).toUpperCase()}dc${h2(device.deviceClass)}dsc${h2(device.deviceSubClass)}dp${h2(device.deviceProtocol)}ic${h2(spec.cls)}isc${h2(spec.subclass)}ip${h2(spec.protocol)}in${h2(spec.number)}`;
}
