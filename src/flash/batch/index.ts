// The parallel batch runner of `medic flash --all` (issue 3 §2): a library that never prints;
// the CLI renders its events and summary.
export { runBatch } from './run-batch.js';
export type { BatchOptions } from './options.js';
export { discoverUnits } from './discover.js';
export type { DiscoverOptions, Discovery } from './discover.js';
export type { BatchEvent, BatchSummary, BatchUnit, SysfsView, UnitIdentityFound, UnitOutcome, UnitResult } from './types.js';
export { FlashBatchError, batchErrorCodes } from './errors.js';
export type { BatchErrorCode } from './errors.js';
