import { checkEvent } from '../../guard/events/index.js';
import type { EventToStore, FleetStore, RefusalCount } from '../store/index.js';
import { eventDigest } from './canonical-digest.js';
import { parsePayload, type PayloadFormat } from './payload.js';
import type { Refusal } from './refusal-reasons.js';

/** What this process has handled since it started (GET /api/v1/health): shows several servers sharing the work. */
export interface IngestCounters {
  mqttMessages: number;
  httpBatches: number;
  events: number;
}

export function newIngestCounters(): IngestCounters {
  return { mqttMessages: 0, httpBatches: 0, events: 0 };
}

export interface IngestLimits {
  /** Bytes per HTTP body or MQTT message. */
  readonly maxBytes: number;
  readonly maxEvents: number;
}

export const defaultIngestLimits: IngestLimits = { maxBytes: 1024 * 1024, maxEvents: 10_000 };

export interface IngestOptions {
  readonly format?: PayloadFormat;
  readonly limits?: IngestLimits;
}

export interface IngestResult {
  /** Stored now. */
  readonly accepted: number;
  /** Already stored with the same content; nothing changed. */
  readonly duplicates: number;
  /** Events refused one by one (the rest of the batch is stored). */
  readonly refused: readonly Refusal[];
  /** The whole message was refused and nothing was stored. */
  readonly batchRefusal?: Refusal;
  /** The highest seq now stored for the unit among this batch's events (accepted or duplicate): what the sender may acknowledge. */
  readonly highestStoredSeq?: number;
}

/** Counts refusals in the store, one per refused event or per refused message. */
export async function countRefusals(store: FleetStore, unit: string, refusals: readonly Refusal[]): Promise<void> {
  await store.countRefusals(refusals.map((refusal): RefusalCount => ({ unit, reason: refusal.reason, count: 1, detail: refusal.detail })));
}

async function refuseBatch(store: FleetStore, unit: string, refusal: Refusal): Promise<IngestResult> {
  await countRefusals(store, unit, [refusal]);
  return { accepted: 0, duplicates: 0, refused: [], batchRefusal: refusal };
}

/**
 * Validates one message from the authenticated `unit` and stores its events once. Pure over the
 * store, shared by the HTTP and MQTT paths. Validation is the guard's own checker (src/guard/events),
 * so the server refuses exactly what the documented schema refuses, naming the field.
 */
export async function ingestBatch(store: FleetStore, unit: string, payload: string | Uint8Array, options: IngestOptions = {}): Promise<IngestResult> {
  const limits = options.limits ?? defaultIngestLimits;
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > limits.maxBytes) return refuseBatch(store, unit, { reason: 'oversized', detail: `${size} bytes, the limit is ${limits.maxBytes}` });
  const text = typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  const parsed = parsePayload(text, options.format ?? 'json');
  if (!parsed.ok) return refuseBatch(store, unit, parsed.refusal);
  if (parsed.items.length > limits.maxEvents) return refuseBatch(store, unit, { reason: 'oversized', detail: `${parsed.items.length} events, the limit is ${limits.maxEvents} per batch` });

  const refused: Refusal[] = [];
  const valid: (EventToStore & { index: number })[] = [];
  for (const [index, item] of parsed.items.entries()) {
    const check = checkEvent(item);
    if (!check.ok) {
      const seq = (item as { seq?: unknown } | null)?.seq;
      refused.push({ reason: 'invalid-event', detail: `${check.path === '' ? '' : `${check.path}: `}${check.reason}`, index, ...(typeof seq === 'number' ? { seq } : {}) });
      continue;
    }
    if (check.event.unit !== unit) {
      // Another unit's event in this unit's message: a misconfigured or hostile sender. Nothing of it is stored.
      return refuseBatch(store, unit, { reason: 'unit-mismatch', detail: `event ${index} (seq ${check.event.seq}) is of unit "${check.event.unit}", the sender is "${unit}"`, index, seq: check.event.seq });
    }
    valid.push({ event: check.event, digest: eventDigest(check.event), index });
  }

  // The same seq twice in one message: keep the first, judge the others like a resend.
  const first = new Map<number, EventToStore & { index: number }>();
  let duplicates = 0;
  for (const item of valid) {
    const earlier = first.get(item.event.seq);
    if (earlier === undefined) first.set(item.event.seq, item);
    else if (earlier.digest === item.digest) duplicates += 1;
    else refused.push({ reason: 'seq-conflict', detail: `seq ${item.event.seq} appears twice in this batch with different content`, index: item.index, seq: item.event.seq });
  }

  const unique = [...first.values()];
  const outcome = await store.insertEvents(unit, unique);
  const conflicts = new Set(outcome.conflicts);
  for (const item of unique) {
    if (conflicts.has(item.event.seq)) refused.push({ reason: 'seq-conflict', detail: `seq ${item.event.seq} is already stored with different content`, index: item.index, seq: item.event.seq });
  }
  refused.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  await countRefusals(store, unit, refused);
  const stored = [...outcome.accepted, ...outcome.duplicates];
  return {
    accepted: outcome.accepted.length,
    duplicates: duplicates + outcome.duplicates.length,
    refused,
    ...(stored.length === 0 ? {} : { highestStoredSeq: Math.max(...stored) }),
  };
}
