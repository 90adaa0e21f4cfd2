// What the host sees on USB in each mode, as data (§1.1, §1.2, §6). Add a mode (fastboot
// 18d1:d00d, Quectel SBL download) by adding a row to USB_VIEWS.
import type { ModuleIdentity } from './identity.js';
import type { QcfgValues } from './qcfg.js';
import type { UsbMode } from './power.js';

/** The module's ports by what they are for; `edl` is the one port of 05c6:9008. */
export type PortRole = 'dm' | 'nmea' | 'at' | 'modem' | 'edl';

export type UsbFunction = PortRole | 'qmi' | 'ecm-control' | 'ecm-data' | 'mbim-control' | 'mbim-data' | 'rndis-control' | 'rndis-data';

export interface UsbInterfaceSpec {
  readonly number: number;
  readonly cls: number;
  readonly subclass: number;
  readonly protocol: number;
  readonly endpoints: number;
  readonly function: UsbFunction;
}

export interface UsbDeviceSpec {
  readonly vendorId: number;
  readonly productId: number;
  readonly bcdDevice: number;
  readonly manufacturer: string;
  readonly product: string;
  readonly deviceClass: number;
  readonly deviceSubClass: number;
  readonly deviceProtocol: number;
  readonly maxPowerMa: number;
  readonly bmAttributes: number;
  readonly interfaces: readonly UsbInterfaceSpec[];
}

export interface UsbViewInput {
  readonly identity: ModuleIdentity;
  readonly qcfg: QcfgValues;
}

const iface = (number: number, [cls, subclass, protocol]: readonly [number, number, number], endpoints: number, fn: UsbFunction): UsbInterfaceSpec => ({ number, cls, subclass, protocol, endpoints, function: fn });

/** if0–if3 of every normal composition (§1.2 table): DM ff/ff/ff with 2 endpoints, then three ff/00/00. */
const SERIAL_INTERFACES = [
  iface(0, [0xff, 0xff, 0xff], 2, 'dm'),
  iface(1, [0xff, 0x00, 0x00], 3, 'nmea'),
  iface(2, [0xff, 0x00, 0x00], 3, 'at'),
  iface(3, [0xff, 0x00, 0x00], 3, 'modem'),
] as const;

/** The network function by AT+QCFG="usbnet" (§1.2). */
const NET_INTERFACES: Readonly<Record<string, readonly UsbInterfaceSpec[]>> = {
  // QMI/RmNet: ff/ff/ff with 3 endpoints (what keeps option off it since MORK20).
  '0': [iface(4, [0xff, 0xff, 0xff], 3, 'qmi')],
  // ECM: CDC 02/06/00 + CDC data, behind an IAD (MORK20).
  '1': [iface(4, [0x02, 0x06, 0x00], 1, 'ecm-control'), iface(5, [0x0a, 0x00, 0x00], 2, 'ecm-data')],
  // MBIM: 02/0e/00 + 0a/00/02 (Godles-lab#1).
  '2': [iface(4, [0x02, 0x0e, 0x00], 1, 'mbim-control'), iface(5, [0x0a, 0x00, 0x02], 2, 'mbim-data')],
  // RNDIS: the descriptor detail is UNVERIFIED (§1.2); the usual wireless-controller RNDIS class.
  '3': [iface(4, [0xe0, 0x01, 0x03], 1, 'rndis-control'), iface(5, [0x0a, 0x00, 0x00], 2, 'rndis-data')],
};

/** AT+QCFG="usbcfg" enables/disables functions by position after vid,pid (§1.2). */
const USBCFG_SWITCH: Partial<Record<UsbFunction, number>> = { dm: 2, nmea: 3, at: 4, modem: 5, qmi: 6, 'ecm-control': 6, 'ecm-data': 6, 'mbim-control': 6, 'mbim-data': 6, 'rndis-control': 6, 'rndis-data': 6 };

function normalView({ identity, qcfg }: UsbViewInput): UsbDeviceSpec {
  const usbcfg = qcfg['usbcfg'] ?? [];
  const enabled = (fn: UsbFunction): boolean => {
    const position = USBCFG_SWITCH[fn];
    return position === undefined || usbcfg[position] !== '0';
  };
  const net = NET_INTERFACES[qcfg['usbnet']?.[0] ?? '0'] ?? [];
  // Whether firmware renumbers the remaining interfaces when usbcfg disables one is UNVERIFIED;
  // here they keep their numbers.
  const interfaces = [...SERIAL_INTERFACES, ...net].filter((spec) => enabled(spec.function));
  const withIad = net.length > 1;
  // Older firmware reports "Android"/"Android", newer "Quectel"/"<model>" (§1.1). Where the
  // change happened is UNVERIFIED; baselines before R06 say "Android" here.
  const baseline = Number(/R(\d{2})A\d{2}/.exec(identity.revision)?.[1] ?? '99');
  const android = baseline < 6;
  return {
    vendorId: Number.parseInt(usbcfg[0] ?? '2c7c', 16),
    productId: Number.parseInt(usbcfg[1] ?? '0125', 16),
    // bcdDevice 3.18 from the MORK20 dump (EC25-AF).
    bcdDevice: 0x0318,
    manufacturer: android ? 'Android' : 'Quectel',
    product: android ? 'Android' : identity.model,
    // IAD compositions use the misc class ef/02/01; plain ones 00 (class per interface): the
    // QMI value is UNVERIFIED.
    deviceClass: withIad ? 0xef : 0x00,
    deviceSubClass: withIad ? 0x02 : 0x00,
    deviceProtocol: withIad ? 0x01 : 0x00,
    // MaxPower 500 mA, bmAttributes 0xa0 (remote wakeup) (MORK20).
    maxPowerMa: 500,
    bmAttributes: 0xa0,
    interfaces,
  };
}

function edlView(): UsbDeviceSpec {
  return {
    vendorId: 0x05c6,
    productId: 0x9008,
    // The PBL's descriptor strings and bcdDevice are not in the fact sheet: these are the usual
    // QDLoader strings, UNVERIFIED.
    bcdDevice: 0x0000,
    manufacturer: 'Qualcomm CDMA Technologies MSM',
    product: 'QHSUSB__BULK',
    deviceClass: 0x00,
    deviceSubClass: 0x00,
    deviceProtocol: 0x00,
    maxPowerMa: 2,
    bmAttributes: 0x80,
    // One vendor interface, bulk IN 0x81 / OUT 0x01, protocol 0x11 as QFirehose logs show (§1.1).
    interfaces: [iface(0, [0xff, 0xff, 0x11], 2, 'edl')],
  };
}

export const USB_VIEWS: { readonly [M in UsbMode]: (input: UsbViewInput) => UsbDeviceSpec } = {
  normal: normalView,
  edl: edlView,
};

export function usbId(device: UsbDeviceSpec): string {
  return `${hex4(device.vendorId)}:${hex4(device.productId)}`;
}

export function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}
