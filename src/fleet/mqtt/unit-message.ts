import { logWarn, type Logger } from '../../core/logger.js';
import { countRefusals, ingestBatch, type IngestCounters, type IngestLimits, type IngestResult } from '../ingest/index.js';
import type { FleetStore } from '../store/index.js';

export interface MqttIngestContext {
  readonly store: FleetStore;
  readonly limits: IngestLimits;
  readonly logger: Logger;
  readonly counters: IngestCounters;
}

/** One events message from `unit` (already authenticated by the broker or pinned by its ACL). */
export async function ingestMqttEvents(context: MqttIngestContext, unit: string, payload: Uint8Array): Promise<IngestResult> {
  const result = await ingestBatch(context.store, unit, payload, { limits: context.limits });
  context.counters.mqttMessages += 1;
  context.counters.events += result.accepted + result.duplicates;
  return result;
}

/** `online` / `offline`, plain or as {"status":"online"}; a retained status or the unit's will. */
export function parseStatus(payload: Uint8Array): 'online' | 'offline' | undefined {
  const text = Buffer.from(payload).toString('utf8').trim();
  if (text === 'online' || text === 'offline') return text;
  try {
    const value = JSON.parse(text) as unknown;
    const status = typeof value === 'object' && value !== null ? (value as { status?: unknown }).status : undefined;
    return status === 'online' || status === 'offline' ? status : undefined;
  } catch {
    return undefined;
  }
}

export async function recordStatus(context: MqttIngestContext, unit: string, payload: Uint8Array): Promise<void> {
  // An empty retained message clears the retained status: nothing to record.
  if (payload.byteLength === 0) return;
  const status = parseStatus(payload);
  if (status === undefined) {
    logWarn(context.logger, `unit ${unit} published a status that is neither online nor offline; ignored`);
    return;
  }
  if (!(await context.store.setStatus(unit, status))) {
    await countRefusals(context.store, '', [{ reason: 'unauthenticated', detail: `status of unknown unit "${unit}"` }]);
  }
}

/** What a unit reads on its ack topic: how its message went, and the seq it may acknowledge. */
export function ackPayload(result: IngestResult): string {
  return JSON.stringify({
    ok: result.batchRefusal === undefined && result.refused.length === 0,
    accepted: result.accepted,
    duplicates: result.duplicates,
    refused: result.batchRefusal === undefined ? result.refused : [result.batchRefusal],
    ...(result.highestStoredSeq === undefined ? {} : { highestStoredSeq: result.highestStoredSeq }),
  });
}
