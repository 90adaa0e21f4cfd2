// Firehose, the programmer's XML protocol (edl-protocols.md §2): the XML codec, the document
// splitter for byte streams, and a client for the EC25 family's NAND programmer.
export { DEFAULT_MAX_XML_SIZE, encodeFirehoseCommand, firehoseCommandText, MAX_ATTRIBUTE_VALUE_LENGTH } from './xml-encode.js';
export type { FirehoseAttributes, FirehoseAttributeValue } from './xml-encode.js';
export { attribute, parseFirehoseDocument } from './xml-parse.js';
export type { FirehoseElement } from './xml-parse.js';
export { numericAttribute, parseFirehoseMessages, toMessage } from './messages.js';
export type { FirehoseMessage, FirehoseResponse } from './messages.js';
export { FirehoseStream } from './stream.js';
export type { FirehoseStreamOptions, ReadInto, ReadMore } from './stream.js';
export { checkEraseAlignment, regionAttributeNames, regionAttributes, WHOLE_CHIP_SECTORS } from './region.js';
export type { FirehoseRegion } from './region.js';
export { planTransfers } from './data-source.js';
export type { FirehoseDataSource, SourceTally, TransferPlan } from './data-source.js';
export { parseStorageInfo } from './storage-info.js';
export type { FirehoseStorageInfo } from './storage-info.js';
export { SupportedFunctionsCollector } from './startup.js';
export { findDeviceError, firehoseDeviceErrorNames, hintForNak } from './device-errors.js';
export type { FirehoseDeviceError } from './device-errors.js';
export { defaultFirehoseTimeouts } from './timeouts.js';
export type { FirehoseTimeouts } from './timeouts.js';
export { FirehoseClient } from './client.js';
export type {
  FirehoseCallOptions,
  FirehoseClientOptions,
  FirehoseCommandResult,
  FirehoseConfiguration,
  FirehoseConfigureOptions,
  FirehoseMemoryName,
  FirehosePowerOptions,
  FirehosePowerResult,
  FirehoseProgramOptions,
  FirehoseProgramResult,
  FirehoseProgress,
  FirehoseReadOptions,
  FirehoseStartup,
} from './client.js';
export { FirehoseDataSizeError, FirehoseDisconnectedError, FirehoseNakError, FirehoseProtocolError, FirehoseTimeoutError } from './errors.js';
