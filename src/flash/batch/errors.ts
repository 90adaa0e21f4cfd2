import { MedicError, type MedicErrorOptions } from '../../core/errors.js';

export const batchErrorCodes = {
  /** No module in download mode (or, with includeNormal, in normal mode) was found. */
  noUnits: 'BATCH_NO_UNITS',
} as const;

export type BatchErrorCode = (typeof batchErrorCodes)[keyof typeof batchErrorCodes];

export class FlashBatchError extends MedicError {
  constructor(code: BatchErrorCode, message: string, options: MedicErrorOptions = {}) {
    super(code, message, options);
  }
}
