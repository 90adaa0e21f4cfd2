import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, heldChangeDue, parseAtPolicy, type DecisionInput } from '../../../src/guard/policy/index.js';

const T0 = Date.parse('2026-11-24T08:00:00Z');
const MIN = 60_000;

function input(line: string, overrides: Partial<DecisionInput> = {}): DecisionInput {
  return { line, by: 'app', module: { cfun: 1 }, nowMs: T0, budget: { transitions: [] }, policy: parseAtPolicy({ cfun: { perHour: 2, perDay: 3 } }), ...overrides };
}

/** A budget with `count` changes, the last one `agoMs` before T0, a minute apart. */
function used(count: number, agoMs = MIN): { transitions: number[] } {
  return { transitions: Array.from({ length: count }, (_, i) => T0 - agoMs - (count - 1 - i) * MIN) };
}

describe('the policy decision', () => {
  it('lets a CFUN change within the budget through', () => {
    assert.deepEqual(decide(input('AT+CFUN=0')), { kind: 'cfun', change: { from: 1, to: 0 } });
  });

  it('answers a set to the current level without touching the module, in every mode', () => {
    const decision = decide(input('at+cfun=1', { budget: used(2) }));
    assert.equal(decision.kind, 'coalesce');
    assert.match(decision.reason, /already at level 1/);
  });

  it('refuses a change beyond the hourly budget and says when the next is allowed', () => {
    const decision = decide(input('AT+CFUN=0', { budget: used(2, 46 * MIN) }));
    assert.equal(decision.kind, 'refuse');
    // The older of the two changes was 47 min ago: it leaves the hour in 13 min.
    assert.equal(decision.reason, 'CFUN budget 2/h used, next allowed in 13 min');
  });

  it('refuses beyond the daily budget even when the hour has room', () => {
    const decision = decide(input('AT+CFUN=0', { budget: { transitions: [T0 - 5 * 60 * MIN, T0 - 4 * 60 * MIN, T0 - 3 * 60 * MIN] } }));
    assert.equal(decision.kind, 'refuse');
    assert.match(decision.reason, /^CFUN budget 3\/day used, next allowed in 19 h 0 min$/);
  });

  it('delays within maxDelayMs, and refuses what would wait longer', () => {
    const policy = parseAtPolicy({ cfun: { perHour: 2, perDay: 10, beyondBudget: 'delay', maxDelayMs: 5 * MIN } });
    const soon = decide(input('AT+CFUN=0', { policy, budget: used(2, 57 * MIN) }));
    assert.equal(soon.kind, 'delay');
    assert.equal(soon.untilMs, T0 + 2 * MIN);
    const late = decide(input('AT+CFUN=0', { policy, budget: used(2, 30 * MIN) }));
    assert.equal(late.kind, 'refuse');
    assert.match(late.reason, /longer than the 5 min a request may be held/);
    // Time already spent waiting counts against maxDelayMs.
    assert.equal(decide(input('AT+CFUN=0', { policy, budget: used(2, 57 * MIN), waitedMs: 4 * MIN })).kind, 'refuse');
  });

  it('coalesces: holds a change beyond the budget and a change back cancels it', () => {
    const policy = parseAtPolicy({ cfun: { perHour: 2, perDay: 10, beyondBudget: 'coalesce' } });
    const hold = decide(input('AT+CFUN=0', { policy, budget: used(2) }));
    assert.equal(hold.kind, 'coalesce');
    const held = hold.held;
    assert.deepEqual(held, { level: 0, since: T0, by: 'app' });
    // The app reads back the level it asked for.
    assert.deepEqual(decide(input('AT+CFUN?', { policy, held })), { kind: 'answer', lines: ['+CFUN: 0'] });
    const back = decide(input('AT+CFUN=1', { policy, held, nowMs: T0 + 1000 }));
    assert.equal(back.kind, 'coalesce');
    assert.equal(back.held, undefined);
    assert.match(back.reason, /cancels the held change to 0/);
  });

  it('makes a held change once its window passed and the budget has room', () => {
    const policy = parseAtPolicy({ cfun: { perHour: 2, perDay: 10, beyondBudget: 'coalesce', coalesceWindowMs: 10_000 } });
    const held = { level: 0, since: T0, by: 'app' };
    assert.equal(heldChangeDue({ held, module: { cfun: 1 }, nowMs: T0 + 5000, budget: { transitions: [] }, policy }), false);
    assert.equal(heldChangeDue({ held, module: { cfun: 1 }, nowMs: T0 + 10_000, budget: { transitions: [] }, policy }), true);
    assert.equal(heldChangeDue({ held, module: { cfun: 1 }, nowMs: T0 + 10_000, budget: used(2), policy }), false);
  });

  it('asks for the module level when it is not known', () => {
    assert.deepEqual(decide(input('AT+CFUN=4', { module: { cfun: undefined } })), { kind: 'need-cfun' });
  });

  it('passes resets, odd levels, reads and tests of CFUN to the module', () => {
    for (const line of ['AT+CFUN=1,1', 'AT+CFUN=7', 'AT+CFUN?', 'AT+CFUN=?', 'AT+CFUN=x']) assert.deepEqual(decide(input(line, { budget: used(2) })), { kind: 'forward' }, line);
  });

  it('refuses R&D commands with the reason, unless the configuration allows them', () => {
    const decision = decide(input('AT+QPRTPARA=3'));
    assert.equal(decision.kind, 'refuse');
    assert.equal(decision.rule, 'rd-command');
    assert.match(decision.reason, /^AT\+QPRTPARA is an R&D command \(restores factory parameters/);
    assert.equal(decide(input('AT;+egmr=1,7,"123456789012345"')).kind, 'refuse');
    assert.equal(decide(input('ATE1+QNVFW="/nv/item_files/x",00')).kind, 'refuse');
    assert.deepEqual(decide(input('AT+QNVR=1,0', { policy: parseAtPolicy({ allowCommands: ['AT+QNVR'] }) })), { kind: 'forward' });
  });

  it('refuses policed commands hidden in a compound line', () => {
    const decision = decide(input('AT+CSQ;+CFUN=0'));
    assert.equal(decision.kind, 'refuse');
    assert.equal(decision.rule, 'compound-line');
    assert.deepEqual(decide(input('AT+CSQ;+CREG?')), { kind: 'forward' });
  });

  it('turns persistent setting writes into query-then-set', () => {
    assert.deepEqual(decide(input('AT+QCFG="usbnet",1')), { kind: 'setting', key: 'QCFG "usbnet"', name: 'usbnet', wanted: ['1'], query: 'AT+QCFG="usbnet"', prefix: '+QCFG:' });
    assert.deepEqual(decide(input('AT+QURCCFG="urcport","all"')), { kind: 'setting', key: 'QURCCFG "urcport"', name: 'urcport', wanted: ['all'], query: 'AT+QURCCFG="urcport"', prefix: '+QURCCFG:' });
    const plain = decide(input('AT+QCFG="usbnet",1', { policy: parseAtPolicy({ queryThenSet: false }) }));
    assert.equal(plain.kind === 'setting' ? plain.query : 'x', undefined);
    assert.deepEqual(decide(input('AT+QCFG="usbnet"')), { kind: 'forward' });
  });

  it('refuses SMS text entry rather than relaying half of it', () => {
    assert.equal(decide(input('AT+CMGS="+4912345"')).kind, 'refuse');
  });

  it('forwards what it cannot parse: the module answers ERROR', () => {
    assert.deepEqual(decide(input('AT+QCFG="open')), { kind: 'forward' });
  });
});
