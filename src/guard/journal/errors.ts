import { MedicError, type MedicErrorOptions } from '../../core/errors.js';

export const journalErrorCodes = {
  options: 'JOURNAL_OPTIONS',
  otherUnit: 'JOURNAL_OTHER_UNIT',
  noBootSession: 'JOURNAL_NO_BOOT_SESSION',
  closed: 'JOURNAL_CLOSED',
  locked: 'JOURNAL_LOCKED',
  reservedType: 'JOURNAL_RESERVED_TYPE',
  ackAhead: 'JOURNAL_ACK_AHEAD',
  io: 'JOURNAL_IO',
} as const;

export type JournalErrorCode = (typeof journalErrorCodes)[keyof typeof journalErrorCodes];

export class JournalError extends MedicError {
  constructor(code: JournalErrorCode, message: string, options: MedicErrorOptions = {}) {
    super(code, message, options);
  }
}
