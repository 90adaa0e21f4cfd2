// <configure> of the NAND programmer (edl sheet §2.3; QC-FH-NAND handleConfigure): a payload
// above the channel buffer is NAKed and the reply carries the value to use; the reply lists the
// buffer sizes either way. "Missing or 0 → the channel buffer size" follows the sheet. (The C
// source keeps the last value instead — 131072 after power-on — which would NAK a configure
// without the attribute; no host sends one.)
import type { FirehoseContext } from './firehose-context.js';
import type { ResponseField } from './firehose-message.js';

export function handleConfigure(ctx: FirehoseContext): Promise<void> {
  const { attrs, personality } = ctx;
  let ack = true;
  const payload = attrs.assigned('MaxPayloadSizeToTargetInBytes') ? attrs.number('MaxPayloadSizeToTargetInBytes') : 0;
  const wanted = payload === 0 ? personality.channelBufferSize : payload;
  if (wanted > personality.channelBufferSize) ack = false;
  else ctx.channelCapacity = wanted;
  let digest = attrs.number('MaxDigestTableSizeInBytes');
  if (digest === 0) digest = personality.maxDigestTableSize;
  if (digest > personality.maxDigestTableSize) {
    ctx.log(`Attribute 'MaxDigestTableSizeInBytes'=${digest} cannot exceed ${personality.maxDigestTableSize}`);
    ctx.errorLog('configureDigestTooLarge');
    attrs.setNumber('MaxDigestTableSizeInBytes', personality.maxDigestTableSize);
    ack = false;
  }
  if (attrs.number('SkipStorageInit') !== 0) ctx.log('skipping storage init requested by user');
  if (attrs.number('SkipWrite') !== 0) ctx.log('skipping write requested by user');
  const fields: ResponseField[] = [
    ['MemoryName', 'NAND'],
    ['MaxPayloadSizeFromTargetInBytes', personality.txBufferSize],
    // On a NAK this is the capacity still in force: the value the host should retry with.
    ['MaxPayloadSizeToTargetInBytes', ctx.channelCapacity],
    ['MaxPayloadSizeToTargetInBytesSupported', personality.channelBufferSize],
    ['TargetName', personality.targetName],
  ];
  if (personality.buildId !== undefined) {
    fields.push(
      ['MinVersionSupported', 1],
      ['Version', 1],
      ['BuildId', personality.buildId],
      ['DateTime', `${personality.buildDate} - ${personality.buildTime}`],
      ['MaxXMLSizeInBytes', 4096],
    );
  }
  ctx.respond(ack, fields);
  return Promise.resolve();
}
