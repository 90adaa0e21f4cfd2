import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine } from '../../../src/sim/at/parse.js';

describe('simulator AT line parser', () => {
  it('splits basic and extended commands, with their kinds and arguments', () => {
    assert.deepEqual(parseCommandLine(''), []);
    assert.deepEqual(parseCommandLine('E0'), [{ name: 'E', kind: 'exec', args: [{ text: '0', quoted: false }] }]);
    assert.deepEqual(parseCommandLine('I'), [{ name: 'I', kind: 'exec', args: [] }]);
    assert.deepEqual(parseCommandLine('&F'), [{ name: '&F', kind: 'exec', args: [] }]);
    assert.deepEqual(parseCommandLine('+cfun?;+CSQ'), [
      { name: '+CFUN', kind: 'read', args: [] },
      { name: '+CSQ', kind: 'exec', args: [] },
    ]);
    assert.deepEqual(parseCommandLine('+CFUN=?'), [{ name: '+CFUN', kind: 'test', args: [] }]);
    assert.deepEqual(parseCommandLine('+QCFG="band",0x260, 0x80a ,0x0'), [
      {
        name: '+QCFG',
        kind: 'set',
        args: [
          { text: 'band', quoted: true },
          { text: '0x260', quoted: false },
          { text: '0x80a', quoted: false },
          { text: '0x0', quoted: false },
        ],
      },
    ]);
    assert.deepEqual(parseCommandLine('+QURCCFG="urcport","a;b,c"'), [
      { name: '+QURCCFG', kind: 'set', args: [{ text: 'urcport', quoted: true }, { text: 'a;b,c', quoted: true }] },
    ]);
  });

  it('returns null for broken syntax', () => {
    assert.equal(parseCommandLine('+QCFG="band'), null);
    assert.equal(parseCommandLine('+QCFG=ba"nd"'), null);
    assert.equal(parseCommandLine('+'), null);
    assert.equal(parseCommandLine('+CSQ!'), null);
    assert.equal(parseCommandLine('%'), null);
  });
});
