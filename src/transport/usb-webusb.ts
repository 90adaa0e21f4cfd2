import { MedicError } from '../core/errors.js';

// The slice of the WebUSB API (node-usb v2's `WebUSB` wrapper, a browser's navigator.usb, qdl.js)
// that an EDL transport needs. Declared here, not taken from @types/w3c-web-usb, so a fake device
// for tests is a few lines and nothing else of a DOM leaks into the transport layer.

export interface UsbEndpointLike {
  readonly endpointNumber: number;
  readonly direction: 'in' | 'out';
  readonly type: 'bulk' | 'interrupt' | 'isochronous';
  readonly packetSize: number;
}

export interface UsbAlternateLike {
  readonly interfaceClass: number;
  readonly endpoints: readonly UsbEndpointLike[];
}

export interface UsbInterfaceLike {
  readonly interfaceNumber: number;
  readonly alternate: UsbAlternateLike;
}

export interface UsbConfigurationLike {
  readonly configurationValue: number;
  readonly interfaces: readonly UsbInterfaceLike[];
}

export interface UsbInResult {
  readonly data?: DataView | undefined;
  readonly status?: string | undefined;
}

export interface UsbOutResult {
  readonly bytesWritten: number;
  readonly status?: string | undefined;
}

export interface UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber?: string | undefined;
  readonly productName?: string | undefined;
  readonly opened: boolean;
  readonly configuration: UsbConfigurationLike | null | undefined;
  readonly configurations: readonly UsbConfigurationLike[];
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  transferIn(endpointNumber: number, length: number): Promise<UsbInResult>;
  transferOut(endpointNumber: number, data: Uint8Array): Promise<UsbOutResult>;
  clearHalt(direction: 'in' | 'out', endpointNumber: number): Promise<void>;
}

/** What the host sees: WebUSB's getDevices, plus the raw id list to tell "absent" from "not allowed". */
export interface UsbHost {
  getDevices(): Promise<readonly UsbDeviceLike[]>;
  /**
   * Every device on the bus, including those the WebUSB wrapper could not open. node-usb v2's
   * getDevices silently skips a device it cannot open (no permission), so without this list a
   * missing udev rule would look like "no device".
   */
  listIds?(): readonly { readonly vendorId: number; readonly productId: number }[];
}

export type UsbLoader = () => Promise<UsbHost>;

interface NodeUsbModule {
  WebUSB: new (options: { allowAllDevices: boolean }) => { getDevices(): Promise<unknown[]> };
  getDeviceList(): { deviceDescriptor: { idVendor: number; idProduct: number } }[];
}

/**
 * node-usb (`usb` 2.x) is an optional dependency: its native part may have failed to install.
 * Its WebUSB wrapper detaches kernel drivers (qcserial) on claim by default on Linux
 * (ecosystem sheet §2.2), which is what an EDL host needs.
 */
export function nodeUsbLoader(importUsb: () => Promise<unknown> = () => import('usb')): UsbLoader {
  return async () => {
    let module: NodeUsbModule;
    try {
      const imported = (await importUsb()) as NodeUsbModule & { default?: NodeUsbModule };
      module = typeof imported.WebUSB === 'function' ? imported : (imported.default ?? imported);
    } catch (error) {
      throw usbUnavailable(error);
    }
    const webusb = new module.WebUSB({ allowAllDevices: true });
    return {
      getDevices: async () => (await webusb.getDevices()) as unknown as readonly UsbDeviceLike[],
      listIds: () => module.getDeviceList().map((device) => ({ vendorId: device.deviceDescriptor.idVendor, productId: device.deviceDescriptor.idProduct })),
    };
  };
}

/** node-usb from node_modules. */
export const loadNodeUsb: UsbLoader = nodeUsbLoader();

export function usbUnavailable(cause: unknown): MedicError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new MedicError('USB_UNAVAILABLE', `USB access needs the optional \`usb\` package (node-usb), which is not installed or did not load${detail}`, {
    hint: 'Run `npm install usb` (it needs libusb / a prebuilt binary for this platform), or use the serial port qcserial creates: --port /dev/ttyUSB0.',
    cause,
  });
}
