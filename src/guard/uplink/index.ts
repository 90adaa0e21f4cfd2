export { createBackoff, DEFAULT_RETRY, type Backoff, type RetryPolicy } from './backoff.js';
export { UplinkError, uplinkErrorCodes, type UplinkErrorCode } from './errors.js';
export { realClock, startUplink, type Uplink, type UplinkClock, type UplinkJournal, type UplinkOptions, type UplinkStatus, type UplinkTransportOptions } from './uplink.js';
export { answerFits, batchRefusalOf, DEFAULT_TOPIC_PREFIX, parseServerAnswer, unitTopic, type ServerAnswer, type ServerRefusal } from './wire-format.js';
