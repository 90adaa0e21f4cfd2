import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { netStatusLevel } from '../../src/sim/net-status.js';

describe('NET_STATUS patterns (fact sheet §4.6)', () => {
  it('blinks by the table and holds steady levels', () => {
    assert.equal(netStatusLevel('searching', 0), 'high');
    assert.equal(netStatusLevel('searching', 199), 'high');
    assert.equal(netStatusLevel('searching', 200), 'low');
    assert.equal(netStatusLevel('searching', 1999), 'low');
    assert.equal(netStatusLevel('searching', 2000), 'high');
    assert.equal(netStatusLevel('registered', 1799), 'high');
    assert.equal(netStatusLevel('registered', 1900), 'low');
    assert.equal(netStatusLevel('data', 130), 'low');
    assert.equal(netStatusLevel('data', 260), 'high');
    assert.equal(netStatusLevel('off', 5), 'low');
    assert.equal(netStatusLevel('steady-high', 123456), 'high');
  });
});
