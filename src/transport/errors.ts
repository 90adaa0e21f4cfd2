import { MedicError, type MedicErrorOptions } from '../core/errors.js';

/** The transport was closed by us, or the device went away (unplugged, re-enumerated, powered off). */
export class TransportClosedError extends MedicError {
  readonly disconnected: boolean;
  constructor(message: string, disconnected: boolean, options: MedicErrorOptions = {}) {
    super(disconnected ? 'TRANSPORT_DISCONNECTED' : 'TRANSPORT_CLOSED', message, options);
    this.disconnected = disconnected;
  }
}

/** The port could not be opened; `code` says why (PORT_NOT_FOUND, PORT_BUSY, PORT_PERMISSION, PORT_NOT_SERIAL, PORT_OPEN_FAILED). */
export class PortOpenError extends MedicError {}
