export { EventInvalidError, eventErrorCodes, type EventErrorCode } from './errors.js';
export type { EventData, EventEnvelope, EventInput, RiskEvent, RiskEventOf } from './event.js';
export { bootReasonNames, bootReasons, envelopeFields, EVENT_SCHEMA_VERSION, eventTypeNames, eventTypes, isEventType, UNIT_ID_PATTERN, type BootReason, type BootReasonClass, type EventType } from './event-types.js';
export { RISK_EVENT_SCHEMA_ID, riskEventJsonSchema, riskEventJsonSchemaText, type JsonSchema } from './json-schema.js';
export { checkEvent, checkEventInput, parseEvent, parseEventJson, type EventCheck } from './validate.js';
