import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_AT_POLICY, parseAtPolicy, PolicyError } from '../../../src/guard/policy/index.js';
import { sameValue, sameValues } from '../../../src/guard/policy/setting-values.js';

describe('the policy from configuration data', () => {
  it('fills in the defaults', () => {
    assert.deepEqual(parseAtPolicy({}), DEFAULT_AT_POLICY);
    assert.deepEqual(parseAtPolicy({ cfun: { perHour: 2 } }).cfun, { ...DEFAULT_AT_POLICY.cfun, perHour: 2 });
  });

  it('names the field and the problem', () => {
    const cases: [unknown, RegExp][] = [
      [{ cfun: { perHour: -1 } }, /^cfun\.perHour: must be an integer from 0 to 3600, got -1$/],
      [{ cfun: { perHours: 3 } }, /^cfun\.perHours: unknown field/],
      [{ cfun: { beyondBudget: 'ignore' } }, /^cfun\.beyondBudget: must be one of delay, coalesce, refuse, got "ignore"$/],
      [{ cfun: { perHour: 10, perDay: 5 } }, /^cfun\.perDay: must be at least cfun\.perHour \(10\), got 5$/],
      [{ queryThenSet: 'yes' }, /^queryThenSet: must be true or false, got "yes"$/],
      [{ allowCommands: ['AT+CSQ'] }, /^allowCommands\[0\]: \+CSQ is not refused in the first place/],
      [{ allowCommands: 'AT+QNVR' }, /^allowCommands: must be a list/],
      [[], /^policy: must be an object, got an array$/],
    ];
    for (const [value, message] of cases) {
      assert.throws(() => parseAtPolicy(value), (error: unknown) => error instanceof PolicyError && error.code === 'GUARD_POLICY_INVALID' && message.test(error.message) && error.hint !== undefined, JSON.stringify(value));
    }
  });
});

describe('comparing setting values for query-then-set', () => {
  it('reads the wanted value the way the module prints the current one', () => {
    assert.equal(sameValue('0x260', '260'), true);
    assert.equal(sameValue('0x260', '0X0260'), true);
    assert.equal(sameValue('260', '0x104'), true);
    assert.equal(sameValue('1', '01'), true);
    assert.equal(sameValue('usbat', 'USBAT'), true);
    assert.equal(sameValue('1', '2'), false);
    assert.equal(sameValue('0x104', '260'), false);
  });

  it('ignores trailing values the module does not store, never the reverse', () => {
    assert.equal(sameValues(['3'], ['3', '1']), true);
    assert.equal(sameValues(['3', '1'], ['3']), false);
    assert.equal(sameValues([], ['3']), false);
  });
});
