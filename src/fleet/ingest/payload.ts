import type { Refusal } from './refusal-reasons.js';

// What a unit may send in one HTTP body or MQTT message: `{"events":[…]}`, a JSON array of
// events, one event object, or NDJSON (one event per line, like the guard's journal segments).

export type PayloadFormat = 'json' | 'ndjson';

export type ParsedPayload = { readonly ok: true; readonly items: readonly unknown[] } | { readonly ok: false; readonly refusal: Refusal };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseNdjson(text: string): ParsedPayload {
  const items: unknown[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      items.push(JSON.parse(line));
    } catch (error) {
      return { ok: false, refusal: { reason: 'malformed-json', detail: `line ${index + 1}: ${error instanceof Error ? error.message : String(error)}` } };
    }
  }
  return { ok: true, items };
}

export function parsePayload(text: string, format: PayloadFormat): ParsedPayload {
  if (format === 'ndjson') return parseNdjson(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, refusal: { reason: 'malformed-json', detail: error instanceof Error ? error.message : String(error) } };
  }
  if (Array.isArray(value)) return { ok: true, items: value };
  if (isRecord(value) && Array.isArray(value['events'])) {
    const extra = Object.keys(value).filter((key) => key !== 'events');
    if (extra.length > 0) return { ok: false, refusal: { reason: 'malformed-batch', detail: `unknown field ${extra.join(', ')} beside "events"` } };
    return { ok: true, items: value['events'] as unknown[] };
  }
  if (isRecord(value) && Object.hasOwn(value, 'schema')) return { ok: true, items: [value] };
  return { ok: false, refusal: { reason: 'malformed-batch', detail: 'expected {"events":[…]}, an array of events or one event' } };
}
