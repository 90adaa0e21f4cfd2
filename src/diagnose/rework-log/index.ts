// The rework log (issue #4 §3): one record per flash or diagnose run, appended to a local
// JSON-lines file that `medic log` lists and the fleet server imports. Format: README.md.
export { appendReworkRecord, readReworkLog, TOOL_NAME } from './store.js';
export type { AppendOptions, ReworkLogContents, SkippedLine } from './store.js';
export { checkReworkRecord, REWORK_SCHEMA_VERSION, reworkOutcomes } from './record.js';
export type { ObservationValue, RecordCheck, ReworkOutcome, ReworkRecord, ReworkRecordInput, ReworkUnit, ReworkVerdict } from './record.js';
export { REWORK_LOG_ENV, reworkLogPath } from './location.js';
export type { ReworkLogLocation } from './location.js';
export { filterReworkRecords } from './filter.js';
export type { ReworkFilter } from './filter.js';
export { ReworkLogError, reworkLogErrorCodes } from './errors.js';
export type { ReworkLogErrorCode } from './errors.js';
