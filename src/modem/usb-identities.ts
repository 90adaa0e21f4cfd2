// USB identities of the EC25 family and what each says about the module's state
// (quectel-ec25.md §1.1, §1.5). Matched on VID:PID first, then on the interface count.

export type UsbMode = 'normal' | 'edl' | 'sbl-download' | 'fastboot' | 'unknown-qualcomm';

export interface UsbIdentity {
  readonly vendorId: number;
  readonly productId: number;
  readonly mode: UsbMode;
  /** Module families that use this identity. */
  readonly models: readonly string[];
  readonly note: string;
  /** Interface functions fixed by number, for devices whose drivers bind by number. */
  readonly rolesByInterface?: Readonly<Record<number, InterfaceRole>>;
}

export const usbIdentities: readonly UsbIdentity[] = [
  { vendorId: 0x2c7c, productId: 0x0125, mode: 'normal', models: ['EC25', 'EG25-G', 'EC20 R2.x'], note: 'Quectel EC25/EG25-G (also EC20 R2.x), normal boot' },
  { vendorId: 0x2c7c, productId: 0x0121, mode: 'normal', models: ['EC21'], note: 'Quectel EC21, normal boot' },
  { vendorId: 0x2c7c, productId: 0x0191, mode: 'normal', models: ['EG91'], note: 'Quectel EG91, normal boot' },
  { vendorId: 0x2c7c, productId: 0x0195, mode: 'normal', models: ['EG95'], note: 'Quectel EG95, normal boot' },
  { vendorId: 0x2c7c, productId: 0x0296, mode: 'normal', models: ['BG96'], note: 'Quectel BG96 (other platform, same driver handling)' },
  { vendorId: 0x2c7c, productId: 0x0306, mode: 'normal', models: ['EP06'], note: 'Quectel EP06 (other platform, same driver handling)' },
  {
    vendorId: 0x05c6,
    productId: 0x9215,
    mode: 'normal',
    models: ['EC20 R1.x'],
    note: 'older EC20 on the Qualcomm VID, normal boot (qcserial)',
    // qcserial's handle_quectel_ec20 path binds by number (§1.1, LNX-QCS).
    rolesByInterface: { 0: 'dm', 1: 'nmea', 2: 'at', 3: 'modem', 4: 'qmi' },
  },
  { vendorId: 0x05c6, productId: 0x9008, mode: 'edl', models: [], note: 'Qualcomm emergency download ("QDLoader 9008"): the boot ROM could not boot, USB_BOOT was strapped, or a host asked for EDL' },
  { vendorId: 0x05c6, productId: 0x901f, mode: 'edl', models: [], note: 'Qualcomm download mode (SDX-class), accepted by QFirehose' },
  { vendorId: 0x05c6, productId: 0x9091, mode: 'edl', models: [], note: 'Qualcomm download mode (SDX-class), accepted by QFirehose' },
  { vendorId: 0x18d1, productId: 0xd00d, mode: 'fastboot', models: [], note: 'fastboot (Quectel ABOOT), entered with AT+QFASTBOOT' },
];

export const QUECTEL_VID = 0x2c7c;

/** `2c7c:0125`, the way lsusb and sysfs write an identity. */
export function formatUsbId(vendorId: number, productId: number): string {
  return `${vendorId.toString(16).padStart(4, '0')}:${productId.toString(16).padStart(4, '0')}`;
}
export const QUALCOMM_VID = 0x05c6;

/**
 * What a USB device is, or undefined when it is none of ours. A Quectel-VID device with a
 * single interface is the SBL download mode QFirehose streams NPRG to (§1.1, §2.4).
 */
export function identifyUsb(vendorId: number, productId: number, interfaceCount: number): UsbIdentity | undefined {
  const known = usbIdentities.find((id) => id.vendorId === vendorId && id.productId === productId);
  if (vendorId === QUECTEL_VID && interfaceCount === 1 && known?.mode !== 'edl') {
    return { vendorId, productId, mode: 'sbl-download', models: known?.models ?? [], note: 'Quectel SBL download mode (one interface): QFirehose streams NPRG9x07.mbn first' };
  }
  if (known !== undefined) return known;
  if (vendorId === QUECTEL_VID) return { vendorId, productId, mode: 'normal', models: [], note: 'an unlisted Quectel module, or a composition changed with AT+QCFG="usbcfg"' };
  if (vendorId === QUALCOMM_VID) return { vendorId, productId, mode: 'unknown-qualcomm', models: [], note: 'a Qualcomm device we do not know' };
  return undefined;
}

export type InterfaceRole = 'dm' | 'nmea' | 'at' | 'modem' | 'qmi' | 'ecm' | 'mbim' | 'rndis' | 'cdc-data' | 'edl' | 'adb' | 'audio' | 'unknown';

export interface InterfaceDescriptor {
  readonly number: number;
  readonly interfaceClass: number;
  readonly subClass: number;
  readonly protocol: number;
  readonly endpoints: number;
}

/**
 * The function behind an interface, decided the way Linux's option driver does since 2020 (by
 * class and endpoint count, not by number — §1.3, MORK20): ff/ff/ff with 2 endpoints is DM, with
 * 3 it is QMI; ff/00/00 are the serial functions, which ModemManager's udev rules name by
 * interface number (if01 NMEA, if02 AT, if03 modem — §1.4).
 */
export function interfaceRole(identity: UsbIdentity, iface: InterfaceDescriptor): InterfaceRole {
  const { interfaceClass: cls, subClass: sub, protocol: proto, endpoints } = iface;
  const fixed = identity.rolesByInterface?.[iface.number];
  if (fixed !== undefined) return fixed;
  if (identity.mode === 'edl' || identity.mode === 'sbl-download') return cls === 0xff ? 'edl' : 'unknown';
  if (cls === 0xff && sub === 0xff && proto === 0xff) return endpoints === 2 ? 'dm' : 'qmi';
  if (cls === 0xff && sub === 0x00 && proto === 0x00) {
    const bySerialNumber: Record<number, InterfaceRole> = { 1: 'nmea', 2: 'at', 3: 'modem' };
    return bySerialNumber[iface.number] ?? 'unknown';
  }
  if (cls === 0x02 && sub === 0x06) return 'ecm';
  if (cls === 0x02 && sub === 0x0e) return 'mbim';
  // RNDIS interface detail is UNVERIFIED for EC25 (§1.2): the common Windows RNDIS signatures.
  if ((cls === 0xe0 && sub === 0x01 && proto === 0x03) || (cls === 0xef && sub === 0x04 && proto === 0x01)) return 'rndis';
  if (cls === 0x0a) return 'cdc-data';
  if (cls === 0xff && sub === 0x42 && proto === 0x01) return 'adb';
  if (cls === 0x01) return 'audio';
  return 'unknown';
}
