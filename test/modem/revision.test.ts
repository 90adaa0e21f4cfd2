import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBaseline, parseRevision } from '../../src/modem/revision.js';

describe('firmware revision strings (quectel-ec25.md §2.9)', () => {
  it('reads model, variant, baseline and minor from the real strings in the sheet', () => {
    const cases: [string, string, string, number, number, string][] = [
      ['EC25EFAR06A06M4G', 'EC25', 'EFA', 6, 6, 'M4G'],
      ['EC25AFAR05A04M4G', 'EC25', 'AFA', 5, 4, 'M4G'],
      ['EC25AFXDGAR07A01M1G', 'EC25', 'AFXDGA', 7, 1, 'M1G'],
      ['EC25EUXGAR08A09M1G', 'EC25', 'EUXGA', 8, 9, 'M1G'],
      ['EG25GGBR07A08M2G', 'EG25', 'GGB', 7, 8, 'M2G'],
      ['EC20AQAR02A03E2G', 'EC20', 'AQA', 2, 3, 'E2G'],
    ];
    for (const [raw, model, variant, baseline, minor, memory] of cases) {
      const revision = parseRevision(raw);
      assert.ok(revision, raw);
      assert.equal(revision.model, model, raw);
      assert.equal(revision.variant, variant, raw);
      assert.equal(revision.baseline, baseline, raw);
      assert.equal(revision.minor, minor, raw);
      assert.equal(revision.memoryCode, memory, raw);
      assert.equal(revision.suffix, undefined);
    }
  });

  it('keeps the AT+QGMR suffix apart from the main revision', () => {
    const revision = parseRevision('EG25GGBR07A08M2G_30.203.30.203');
    assert.ok(revision);
    assert.equal(revision.main, 'EG25GGBR07A08M2G');
    assert.equal(revision.suffix, '30.203.30.203');
    assert.equal(formatBaseline(revision), 'R07A08');
    assert.equal(parseRevision('EC25EFAR06A17M4G_20.200.20.200')?.baseline, 6);
  });

  it('says nothing rather than guess on strings of another shape', () => {
    for (const raw of ['', 'Revision: EC25EFAR02A09M4G', 'EC25', 'BG96MAR02A07M1G_extra', 'hello world', 'EC25EFAR6A06M4G']) {
      assert.equal(parseRevision(raw), undefined, raw);
    }
  });
});
