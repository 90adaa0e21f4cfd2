export { eventDigest } from './canonical-digest.js';
export { countRefusals, defaultIngestLimits, ingestBatch, newIngestCounters, type IngestCounters, type IngestLimits, type IngestOptions, type IngestResult } from './ingest-batch.js';
export { parsePayload, type ParsedPayload, type PayloadFormat } from './payload.js';
export { refusalReasonNames, refusalReasons, type Refusal, type RefusalReason } from './refusal-reasons.js';
export { UnitAuthenticator } from './unit-authenticator.js';
