import { MedicError, type MedicErrorOptions } from '../../core/errors.js';

export const eventErrorCodes = {
  invalid: 'EVENT_INVALID',
} as const;

export type EventErrorCode = (typeof eventErrorCodes)[keyof typeof eventErrorCodes];

/** A risk event that does not match the schema; `details.path` names the field, `details.reason` says why. */
export class EventInvalidError extends MedicError {
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string, options: MedicErrorOptions = {}) {
    super(eventErrorCodes.invalid, `malformed risk event: ${path === '' ? '' : `${path}: `}${reason}`, {
      hint: 'The event format is src/guard/events/event.schema.json (schema version in `schema`); fix the sender or upgrade it.',
      ...options,
      details: { path, reason, ...options.details },
    });
    this.path = path;
    this.reason = reason;
  }
}
