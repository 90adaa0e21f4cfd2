import { MedicError, type MedicErrorOptions } from '../../core/errors.js';
import type { FirehoseDeviceError } from './device-errors.js';

/** The programmer answered NAK. Carries its last log lines and the parsed `ERROR n: Line n: NAME`. */
export class FirehoseNakError extends MedicError {
  readonly command: string;
  readonly deviceLogs: readonly string[];
  readonly deviceError: FirehoseDeviceError | undefined;
  constructor(command: string, message: string, options: MedicErrorOptions & { deviceLogs: readonly string[]; deviceError: FirehoseDeviceError | undefined }) {
    super('FIREHOSE_NAK', message, { ...options, details: { command, deviceLogs: options.deviceLogs, deviceError: options.deviceError, ...options.details } });
    this.command = command;
    this.deviceLogs = options.deviceLogs;
    this.deviceError = options.deviceError;
  }
}

/** The programmer did not answer in time. */
export class FirehoseTimeoutError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('FIREHOSE_TIMEOUT', message, options);
  }
}

/** The programmer said something the protocol does not allow here. */
export class FirehoseProtocolError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('FIREHOSE_PROTOCOL', message, options);
  }
}

/** The port went away (closed, or the module reset / dropped off USB). */
export class FirehoseDisconnectedError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('FIREHOSE_DISCONNECTED', message, options);
  }
}

/**
 * A program's data source did not deliver the number of bytes announced. The command was still
 * completed (padded or cut) so the programmer stays in step, but what was written is not the file.
 */
export class FirehoseDataSizeError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('FIREHOSE_DATA_SIZE', message, options);
  }
}
