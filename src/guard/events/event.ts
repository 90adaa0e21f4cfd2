import type { EventType, eventTypes, envelopeFields } from './event-types.js';
import type { ObjectOf } from './fields.js';

// The TypeScript view of a risk event, derived from the declarations in event-types.ts.

/** The data of one event type. */
export type EventData<T extends EventType> = ObjectOf<(typeof eventTypes)[T]['data']>;

/** The fields every event carries. */
export type EventEnvelope = ObjectOf<typeof envelopeFields>;

/** One risk event as written to the journal and sent to the fleet server. */
export type RiskEvent = { [T in EventType]: EventEnvelope & { readonly type: T; readonly data: EventData<T> } }[EventType];

/** What the guard hands the journal; the journal adds the envelope. */
export type EventInput = { [T in EventType]: { readonly type: T; readonly data: EventData<T> } }[EventType];

/** The event of one type. */
export type RiskEventOf<T extends EventType> = Extract<RiskEvent, { type: T }>;
