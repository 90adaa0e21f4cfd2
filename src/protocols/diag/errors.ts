import { MedicError, type MedicErrorOptions } from '../../core/errors.js';

/** No (valid) DIAG answer before the deadline. */
export class DiagTimeoutError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('DIAG_TIMEOUT', message, options);
  }
}

/** The module answered with a DIAG error response (bad command / parameter / length / mode). */
export class DiagRejectedError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('DIAG_REJECTED', message, options);
  }
}

/** An answer arrived but is not what the protocol says it should be. */
export class DiagProtocolError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('DIAG_PROTOCOL', message, options);
  }
}

/** The port went away (closed, or the module re-enumerated). */
export class DiagDisconnectedError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('DIAG_DISCONNECTED', message, options);
  }
}

/** Every EDL-switch attempt went unanswered. */
export class DiagEdlSwitchError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('DIAG_EDL_SWITCH_FAILED', message, options);
  }
}

export const DM_PORT_HINT =
  'Use the DM (DIAG) port — interface 0 of an EC25, usually the first ttyUSB — not the AT port. Stop ModemManager (or anything else holding the port) and try again.';
