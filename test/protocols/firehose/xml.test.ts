import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { parseFirehoseMessages } from '../../../src/protocols/firehose/messages.js';
import { firehoseCommandText } from '../../../src/protocols/firehose/xml-encode.js';
import { attribute, parseFirehoseDocument } from '../../../src/protocols/firehose/xml-parse.js';
import { ACK_RAW, configureAck, log, response } from './device-messages.js';

describe('Firehose XML codec (edl-protocols.md §2.1)', () => {
  it('writes commands as one unindented line in edl\'s dialect', () => {
    assert.equal(
      firehoseCommandText('configure', { MemoryName: 'nand', Verbose: 0, AlwaysValidate: 0, MaxDigestTableSizeInBytes: 2048, MaxPayloadSizeToTargetInBytes: 8192, ZlpAwareHost: 0, SkipStorageInit: 0 }),
      '<?xml version="1.0" ?><data><configure MemoryName="nand" Verbose="0" AlwaysValidate="0" MaxDigestTableSizeInBytes="2048" MaxPayloadSizeToTargetInBytes="8192" ZlpAwareHost="0" SkipStorageInit="0" /></data>',
    );
    assert.equal(firehoseCommandText('power', { DelayInSeconds: 10, value: 'reset' }), '<?xml version="1.0" ?><data><power DelayInSeconds="10" value="reset" /></data>');
    assert.equal(firehoseCommandText('nop'), '<?xml version="1.0" ?><data><nop /></data>');
  });

  it('escapes attribute values and refuses what the programmer would reject', () => {
    assert.match(firehoseCommandText('program', { filename: '..\\a&b"c<d>.ubi' }), /filename="\.\.\\a&amp;b&quot;c&lt;d&gt;\.ubi"/);
    const usage = (error: unknown): boolean => isMedicError(error) && error.code === 'USAGE';
    assert.throws(() => firehoseCommandText('program', { filename: 'x'.repeat(81) }), usage);
    assert.throws(() => firehoseCommandText('bad tag'), usage);
    assert.throws(() => firehoseCommandText('erase', { start_sector: -1 }), usage);
  });

  it('reads the programmer\'s log and response messages exactly as it sends them', () => {
    assert.deepEqual(parseFirehoseMessages(log('Binary build date: Mar 27 2019 @ 03:21:31')), [{ kind: 'log', text: 'Binary build date: Mar 27 2019 @ 03:21:31' }]);
    const [raw] = parseFirehoseMessages(ACK_RAW);
    assert.equal(raw?.kind === 'response' && raw.acknowledged && raw.rawMode, true);
    const [nak] = parseFirehoseMessages(response('NAK'));
    assert.equal(nak?.kind === 'response' ? `${String(nak.acknowledged)} ${String(nak.rawMode)}` : '', 'false undefined');
  });

  it('reads configure\'s attributes, whatever their case', () => {
    const [element] = parseFirehoseDocument(configureAck(8192));
    assert.ok(element !== undefined);
    assert.equal(attribute(element, 'maxpayloadsizetotargetinbytes'), '8192');
    assert.equal(attribute(element, 'TargetName'), '9x07');
  });

  it('is lenient with sloppy documents: no space before />, a stray quote in a log, comments, entities', () => {
    const text = '<?xml version="1.0"?><data><!-- x --><log value="Attribute \'PAGES_PER_BLOCK\'=2048 says "hi" &amp; more"/><response value=\'ACK\'/></data>';
    const messages = parseFirehoseMessages(text);
    assert.deepEqual(messages[0], { kind: 'log', text: 'Attribute \'PAGES_PER_BLOCK\'=2048 says "hi" & more' });
    assert.equal(messages[1]?.kind === 'response' && messages[1].acknowledged, true);
  });
});
