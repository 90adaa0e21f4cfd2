import { MedicError, type MedicErrorOptions } from '../../core/errors.js';

export const uplinkErrorCodes = {
  options: 'UPLINK_OPTIONS',
  /** The broker or server could not be reached (refused, reset, DNS, TLS). */
  unreachable: 'UPLINK_UNREACHABLE',
  /** Connected, but no answer in time (no PUBACK, no ack message, no HTTP response). */
  timeout: 'UPLINK_TIMEOUT',
  /** The broker or server does not accept this unit's credentials. */
  unauthenticated: 'UPLINK_UNAUTHENTICATED',
  /** The server refused the whole message (unit-mismatch, oversized, …): nothing stored. */
  refused: 'UPLINK_REFUSED',
  /** The server answered something that is not its answer format. */
  protocol: 'UPLINK_PROTOCOL',
  closed: 'UPLINK_CLOSED',
} as const;

export type UplinkErrorCode = (typeof uplinkErrorCodes)[keyof typeof uplinkErrorCodes];

export class UplinkError extends MedicError {
  declare readonly code: UplinkErrorCode;
  constructor(code: UplinkErrorCode, message: string, options: MedicErrorOptions = {}) {
    super(code, message, options);
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
