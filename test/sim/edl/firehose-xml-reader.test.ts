import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readPacket } from '../../../src/sim/edl/firehose-xml-reader.js';

describe('Firehose packet reader (boot.bf NAND parser)', () => {
  it('reads the dialect of every peer host (§2.1)', () => {
    const dialects = [
      '<?xml version="1.0"?><data><configure MemoryName="nand" MaxPayloadSizeToTargetInBytes="1048576" /></data>', // qdl
      '<?xml version="1.0" ?><data><configure MemoryName="nand" MaxPayloadSizeToTargetInBytes="1048576" /></data>', // edl
      '<?xml version="1.0" encoding="UTF-8" ?>\n<data>\n<configure MemoryName="nand" MaxPayloadSizeToTargetInBytes="1048576" />\n</data>', // QFirehose
      '<?xml version="1.0" encoding="utf-8"?>\n<data>\n  <configure MemoryName="nand"\n    MaxPayloadSizeToTargetInBytes="1048576"/>\n</data>\n', // fwupd, indented
    ];
    for (const text of dialects) {
      const packet = readPacket(text);
      assert.ok(packet.ok, text);
      assert.equal(packet.tag, 'configure');
      assert.deepEqual(packet.attributes, [
        { name: 'MemoryName', value: 'nand' },
        { name: 'MaxPayloadSizeToTargetInBytes', value: '1048576' },
      ]);
      assert.equal(packet.attributeError, undefined);
    }
  });

  it('matches a tag by prefix, case-insensitively, and strips comments', () => {
    const packet = readPacket('<?xml version="1.0" ?><data><!-- flash sbl --><PROG SECTOR_SIZE_IN_BYTES="4096" /></data>');
    assert.ok(packet.ok);
    assert.equal(packet.tag, 'program');
  });

  it('rejects an unknown tag the way the programmer logs it', () => {
    assert.deepEqual(readPacket('<?xml version="1.0" ?><data><patch start_sector="0" /></data>'), { ok: false, logs: ["**WARNING Ignoring Unrecognized tag 'patch'"] });
  });

  it('rejects a packet without XML declaration: <data> itself is then the tag', () => {
    assert.deepEqual(readPacket('<data><nop value="1" /></data>'), { ok: false, logs: ["**WARNING Ignoring Unrecognized tag 'data'"] });
  });

  it('rejects a tag without attributes (so <nop /> is NAKed, §2.7)', () => {
    const packet = readPacket('<?xml version="1.0" ?><data><nop /></data>');
    assert.ok(packet.ok);
    assert.deepEqual(packet.attributeError, ["XML not formed correctly. Could not find '=' character"]);
    const closed = readPacket('<?xml version="1.0" ?><data><nop/></data>');
    assert.deepEqual(closed, { ok: false, logs: ["**WARNING Ignoring Unrecognized tag 'nop/'"] });
  });

  it('refuses attribute values longer than 80 characters and unquoted values', () => {
    const long = readPacket(`<?xml version="1.0" ?><data><program filename="${'x'.repeat(81)}" /></data>`);
    assert.ok(long.ok);
    assert.deepEqual(long.attributeError, ["The value for XML attribute 'filename' is too long (81 chars) only 80 chars allowed"]);
    const unquoted = readPacket('<?xml version="1.0" ?><data><erase start_sector=0 /></data>');
    assert.ok(unquoted.ok);
    assert.match(unquoted.attributeError?.[0] ?? '', /^XML not formed correctly\. Expected one &quot; character at loc \d+$/);
  });

  it('garbage gets an ERROR log, not an exception', () => {
    for (const text of ['', '<?xml version="1.0" ?>', 'hello</data>', '<?xml version="1.0" ?><data>\u0000\u00ff</data>']) {
      const packet = readPacket(text);
      assert.equal(packet.ok, false, JSON.stringify(text));
    }
  });
});
