import { EventInvalidError } from './errors.js';
import type { EventInput, RiskEvent } from './event.js';
import { envelopeFields, eventTypeNames, eventTypes, isEventType } from './event-types.js';
import type { Field, FieldTable } from './fields.js';

// A hand-written validator for the one schema we have (no ajv here): it walks the same field
// tables the JSON Schema is built from, so the two agree by construction. It stops at the first
// problem and names it — what the fleet server's ingest replies to a malformed message (#6).

export type EventCheck<T> = { readonly ok: true; readonly event: T } | { readonly ok: false; readonly path: string; readonly reason: string };

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

/** Why `value` does not fit `field`, or undefined when it does. */
function fieldProblem(field: Field, value: unknown): string | undefined {
  switch (field.kind) {
    case 'string': {
      if (typeof value !== 'string') return `expected a string, got ${describe(value)}`;
      if (field.format === 'date-time' && (!RFC3339.test(value) || Number.isNaN(Date.parse(value)))) return `${describe(value)} is not an RFC 3339 date-time`;
      // JSON Schema counts code points, not UTF-16 units.
      const length = Array.from(value).length;
      if (field.minLength !== undefined && length < field.minLength) return `must not be shorter than ${field.minLength} characters`;
      if (length > field.maxLength) return `must not be longer than ${field.maxLength} characters (got ${length})`;
      if (field.pattern !== undefined && !new RegExp(field.pattern, 'u').test(value)) return `${describe(value)} does not match ${field.pattern}`;
      return undefined;
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `expected a number, got ${describe(value)}`;
      if (field.kind === 'integer' && !Number.isInteger(value)) return `expected an integer, got ${value}`;
      if (value < field.minimum || value > field.maximum) return `${value} is outside ${field.minimum}…${field.maximum}`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, got ${describe(value)}`;
    case 'enum':
      if (typeof value !== 'string' || !field.values.includes(value)) return `${describe(value)} is not one of ${field.values.join(', ')}`;
      return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first problem of `value` against a field table: [path, reason], or undefined. */
function objectProblem(fields: FieldTable, value: unknown, at: string, extra: readonly string[] = []): [string, string] | undefined {
  if (!isPlainObject(value)) return [at, `expected an object, got ${describe(value)}`];
  for (const [name, field] of Object.entries(fields)) {
    const path = at === '' ? name : `${at}.${name}`;
    if (!Object.hasOwn(value, name) || value[name] === undefined) {
      if (field.optional === true) continue;
      return [path, 'is required'];
    }
    const problem = fieldProblem(field, value[name]);
    if (problem !== undefined) return [path, problem];
  }
  for (const name of Object.keys(value)) {
    if (!Object.hasOwn(fields, name) && !extra.includes(name)) return [at === '' ? name : `${at}.${name}`, 'is not a field of this event'];
  }
  return undefined;
}

function typeAndDataProblem(value: Record<string, unknown>): [string, string] | undefined {
  const type = value['type'];
  if (type === undefined) return ['type', 'is required'];
  if (typeof type !== 'string' || !isEventType(type)) return ['type', `${describe(type)} is not an event type (known: ${eventTypeNames.join(', ')})`];
  if (value['data'] === undefined) return ['data', 'is required'];
  return objectProblem(eventTypes[type].data, value['data'], 'data');
}

/** Checks a complete event (envelope, type and data). */
export function checkEvent(value: unknown): EventCheck<RiskEvent> {
  const problem = objectProblem(envelopeFields, value, '', ['type', 'data']) ?? typeAndDataProblem(value as Record<string, unknown>);
  return problem === undefined ? { ok: true, event: value as RiskEvent } : { ok: false, path: problem[0], reason: problem[1] };
}

/** Checks what the guard hands the journal: type and data only. */
export function checkEventInput(value: unknown): EventCheck<EventInput> {
  const problem = isPlainObject(value)
    ? (Object.keys(value).filter((name) => name !== 'type' && name !== 'data').map((name): [string, string] => [name, 'is not a field of an event input (the journal adds the envelope)'])[0] ??
      typeAndDataProblem(value))
    : (['', `expected an object, got ${describe(value)}`] as [string, string]);
  return problem === undefined ? { ok: true, event: value as EventInput } : { ok: false, path: problem[0], reason: problem[1] };
}

/** The event, or an EventInvalidError naming the first problem. */
export function parseEvent(value: unknown): RiskEvent {
  const check = checkEvent(value);
  if (!check.ok) throw new EventInvalidError(check.path, check.reason);
  return check.event;
}

/** Parses one event from JSON text (an MQTT payload, a journal line's event). */
export function parseEventJson(json: string): RiskEvent {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new EventInvalidError('', `not JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return parseEvent(value);
}
