import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchMd5Entry, parseMd5List } from '../../../src/flash/package/md5-list.js';

describe('md5.txt in Quectel\'s format (quectel-ec25.md §2.7)', () => {
  const paths = ['update/NON-HLOS.ubi', 'update/sbl1.mbn', 'update/firehose/prog_nand_firehose_9x07.mbn', 'contents.xml'];

  it('reads <drive>:\\<path>\\<file>:<MD5> lines and maps them onto package files', () => {
    const text = '\uFEFFD:\\builds\\EC25EFAR06A01M4G\\update\\NON-HLOS.ubi:0123456789ABCDEF0123456789abcdef\r\n\r\nE:\\x\\update\\firehose\\prog_nand_firehose_9x07.mbn:ffffffffffffffff\r\n';
    const { entries, problems } = parseMd5List(text, 'md5.txt');
    assert.deepEqual(problems, []);
    assert.equal(entries.length, 2);
    const [first, second] = entries;
    assert.ok(first && second);
    assert.equal(first.md5, '0123456789abcdef0123456789abcdef');
    assert.equal(first.line, 1);
    assert.equal(second.md5.length, 16);
    assert.equal(second.line, 3);
    assert.equal(matchMd5Entry(first, paths), 'update/NON-HLOS.ubi');
    assert.equal(matchMd5Entry(second, paths), 'update/firehose/prog_nand_firehose_9x07.mbn');
  });

  it('matches case-insensitively when Windows changed the case, and not at all for files the package lacks', () => {
    const { entries } = parseMd5List('D:\\p\\UPDATE\\non-hlos.UBI:0123456789abcdef0123456789abcdef\nD:\\p\\update\\missing.bin:0123456789abcdef0123456789abcdef\n', 'md5.txt');
    assert.equal(matchMd5Entry(entries[0] ?? assert.fail(), paths), 'update/NON-HLOS.ubi');
    assert.equal(matchMd5Entry(entries[1] ?? assert.fail(), paths), undefined);
  });

  it('names malformed lines', () => {
    const { entries, problems } = parseMd5List('D:\\p\\update\\sbl1.mbn\nD:\\p\\update\\sbl1.mbn:xyz\nD:\\p\\update\\sbl1.mbn:0123456789abcdef0123456789abcdef\n', 'md5.txt');
    assert.equal(entries.length, 1);
    assert.deepEqual(problems.map((entry) => [entry.code, entry.line]), [['MD5_TXT_MALFORMED', 1], ['MD5_TXT_MALFORMED', 2]]);
  });
});
