import { MedicError, type MedicErrorOptions } from '../../core/errors.js';

export const reworkLogErrorCodes = {
  /** The log file could not be written (or its folder made). */
  unwritable: 'REWORK_LOG_UNWRITABLE',
  /** The log file exists but could not be read. */
  unreadable: 'REWORK_LOG_UNREADABLE',
} as const;

export type ReworkLogErrorCode = (typeof reworkLogErrorCodes)[keyof typeof reworkLogErrorCodes];

export class ReworkLogError extends MedicError {
  constructor(code: ReworkLogErrorCode, message: string, options: MedicErrorOptions = {}) {
    super(code, message, options);
  }
}
