import { MedicError, type MedicErrorOptions } from '../../core/errors.js';
import { saharaStatusName } from './constants.js';
import { adviceFor } from './status-advice.js';

/** The target ended the transfer with a non-zero status (END_IMAGE_TX, §1.5). */
export class SaharaNakError extends MedicError {
  readonly status: number;
  readonly statusName: string;
  readonly imageId: number;
  constructor(status: number, imageId: number, options: MedicErrorOptions = {}) {
    const advice = adviceFor(status);
    super('SAHARA_NAK', `the module stopped the Sahara transfer of image ${imageId}: status 0x${status.toString(16).padStart(2, '0')} ${saharaStatusName(status)} (${advice.meaning})`, {
      hint: advice.hint,
      ...options,
      details: { status, statusName: saharaStatusName(status), imageId, ...options.details },
    });
    this.status = status;
    this.statusName = saharaStatusName(status);
    this.imageId = imageId;
  }
}

/** The target sent something the protocol does not allow here (bad length, unknown or out-of-order packet). */
export class SaharaProtocolError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('SAHARA_PROTOCOL', message, options);
  }
}

/** The target asked for bytes outside the image we serve. */
export class SaharaImageRangeError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('SAHARA_IMAGE_RANGE', message, options);
  }
}

/** The target stopped answering. */
export class SaharaTimeoutError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('SAHARA_TIMEOUT', message, options);
  }
}

export const DISCONNECTED_HINT =
  'The module dropped off USB (it resets after RESET or a fatal error). Wait for 05c6:9008 to come back (`medic scan`), open it again and retry.';

/** The port went away (closed, or the module reset and re-enumerated). */
export class SaharaDisconnectedError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('SAHARA_DISCONNECTED', message, options);
  }
}

/** Chip information was asked for, but a Firehose programmer answers instead of the boot ROM. */
export class SaharaFirehoseRunningError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('SAHARA_FIREHOSE_RUNNING', message, options);
  }
}
