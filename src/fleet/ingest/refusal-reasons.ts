// Why the server refused (part of) a message. The names are stable: they are the keys of
// GET /api/v1/stats and of the reply to a batch, and the future dashboard groups by them.

export const refusalReasons = {
  /** The body or MQTT payload is not JSON (or an NDJSON line is not). */
  'malformed-json': 'not JSON',
  /** JSON, but not `{events:[…]}`, an array of events or one event. */
  'malformed-batch': 'not a batch of events',
  /** An event the guard's validator refuses (src/guard/events/validate.ts); the detail names the field. */
  'invalid-event': 'does not match the event schema',
  /** Larger than the byte limit, or more events than the per-batch limit. */
  oversized: 'too large',
  /** No credentials, wrong ones, or a unit the server does not know. */
  unauthenticated: 'no valid unit credentials',
  /** An event names another unit than the one that sent it (credentials or MQTT topic). */
  'unit-mismatch': 'event of another unit',
  /** A sequence number already stored with different content: a replay or a broken journal. */
  'seq-conflict': 'sequence number already used for a different event',
} as const;

export type RefusalReason = keyof typeof refusalReasons;
export const refusalReasonNames = Object.keys(refusalReasons) as RefusalReason[];

export interface Refusal {
  readonly reason: RefusalReason;
  readonly detail: string;
  /** Position of the event in the batch, when the refusal is about one event. */
  readonly index?: number;
  readonly seq?: number;
}
