// One port of the module reachable two ways: its pty (dev/ttyUSBn) and the TCP bridge
// (tcp-bridge.ts). The engine on the port sees one DevicePty: host bytes from either way in, its
// bytes out to the TCP client while one holds the device, else to the pty.
import type { DevicePty, DevicePtyEvents } from '../core/pty/pty-host.js';
import type { BridgedDevice } from './tcp-bridge.js';

export function bridgedPort(pty: DevicePty, ids: { vendorId: number; productId: number; interfaceNumber: number }): { port: DevicePty; device: BridgedDevice } {
  const events: DevicePtyEvents = {};
  let tcp: ((bytes: Uint8Array) => void) | undefined;
  pty.on({
    data: (bytes) => events.data?.(bytes),
    hostOpen: () => events.hostOpen?.(),
    hostClose: () => events.hostClose?.(),
  });
  const port: DevicePty = {
    id: pty.id,
    path: pty.path,
    get hostHasOpen() {
      return tcp !== undefined || pty.hostHasOpen;
    },
    write: (bytes) => {
      if (tcp === undefined) pty.write(bytes);
      else tcp(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    },
    on: (more) => {
      Object.assign(events, more);
    },
    close: () => pty.close(),
  };
  const device: BridgedDevice = {
    ...ids,
    receive: (bytes) => events.data?.(bytes),
    opened: () => events.hostOpen?.(),
    bind: (send) => {
      tcp = send;
    },
  };
  return { port, device };
}
