import type { RiskEvent } from '../events/event.js';

// The fleet server's wire format, spoken here without importing src/fleet (layering: guard < fleet).
// Keep in step with src/fleet/mqtt/topics.ts (topics), src/fleet/mqtt/unit-message.ts (ackPayload),
// src/fleet/http/http-server.ts (POST /api/v1/events) and src/fleet/ingest/refusal-reasons.ts.

export const DEFAULT_TOPIC_PREFIX = 'medic/v1';
export const EVENTS_PATH = '/api/v1/events';
export const STATUS_ONLINE = 'online';
export const STATUS_OFFLINE = 'offline';

export type UnitTopicKind = 'events' | 'status' | 'ack';

export function unitTopic(prefix: string, unit: string, kind: UnitTopicKind): string {
  return `${prefix}/units/${unit}/${kind}`;
}

/** Refusals of a whole message: nothing of it was stored, resending the same will not help. */
export const batchRefusalReasons = ['malformed-json', 'malformed-batch', 'oversized', 'unauthenticated', 'unit-mismatch'] as const;

export interface ServerRefusal {
  readonly reason: string;
  readonly detail: string;
  readonly index?: number;
  readonly seq?: number;
}

/** The server's answer to one events message (MQTT …/ack or the HTTP body). */
export interface ServerAnswer {
  readonly ok: boolean;
  readonly accepted: number;
  readonly duplicates: number;
  readonly refused: readonly ServerRefusal[];
  readonly highestStoredSeq?: number;
}

export function batchPayload(events: readonly RiskEvent[]): string {
  return JSON.stringify({ events });
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseRefusal(value: unknown): ServerRefusal | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { reason, detail, index, seq } = value as Record<string, unknown>;
  if (typeof reason !== 'string') return undefined;
  return { reason, detail: typeof detail === 'string' ? detail : '', ...(isCount(index) ? { index } : {}), ...(isCount(seq) ? { seq } : {}) };
}

/** The answer in `text`, or undefined when it is not one (another client's traffic, a proxy's error page). */
export function parseServerAnswer(text: string): ServerAnswer | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { ok, accepted, duplicates, refused, highestStoredSeq } = value as Record<string, unknown>;
  if (typeof ok !== 'boolean' || !isCount(accepted) || !isCount(duplicates) || !Array.isArray(refused)) return undefined;
  const refusals = refused.map(parseRefusal);
  if (refusals.some((refusal) => refusal === undefined)) return undefined;
  return { ok, accepted, duplicates, refused: refusals as ServerRefusal[], ...(isCount(highestStoredSeq) ? { highestStoredSeq } : {}) };
}

/** The refusal of the whole message, when the answer is one. */
export function batchRefusalOf(answer: ServerAnswer): ServerRefusal | undefined {
  const [only] = answer.refused;
  if (answer.refused.length !== 1 || only === undefined || answer.accepted + answer.duplicates > 0) return undefined;
  return (batchRefusalReasons as readonly string[]).includes(only.reason) ? only : undefined;
}

/**
 * Whether `answer` is the server's answer to the batch `events`. Answers carry no message id, and
 * one from an earlier attempt can arrive late (a resend after an ack timeout): an answer to this
 * batch accounts for every one of its events and names only sequences inside it.
 */
export function answerFits(answer: ServerAnswer, events: readonly RiskEvent[]): boolean {
  if (batchRefusalOf(answer) !== undefined) return true;
  const first = events[0]?.seq ?? 0;
  const last = events.at(-1)?.seq ?? 0;
  const inside = (seq: number | undefined): boolean => seq === undefined || (seq >= first && seq <= last);
  return answer.accepted + answer.duplicates + answer.refused.length === events.length && inside(answer.highestStoredSeq) && answer.refused.every((refusal) => inside(refusal.seq));
}
