export { JournalError, journalErrorCodes, type JournalErrorCode } from './errors.js';
export { DEFAULT_KEEP_FILES, DEFAULT_MAX_BYTES, type FsyncPolicy, type JournalClock, type RiskJournalOptions } from './journal-options.js';
export { decodeRecord, encodeRecord, scanSegment, type BadLine, type DecodedRecord, type SegmentScan } from './record-format.js';
export { RiskJournal, type BootSessionStart, type JournalOpenReport, type PendingSummary } from './risk-journal.js';
export { segmentName } from './segments.js';
