import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMedicError } from '../../../src/core/errors.js';
import { EventInvalidError } from '../../../src/guard/events/errors.js';
import { bootReasons, eventTypeNames, type EventType } from '../../../src/guard/events/event-types.js';
import { checkEvent, checkEventInput, parseEvent, parseEventJson } from '../../../src/guard/events/validate.js';
import { decodeRecord, encodeRecord } from '../../../src/guard/journal/record-format.js';
import { completeEvent, fullExamples, inputOf, minimalExamples } from '../../helpers/risk-events.js';

/** A valid event with `change` applied to a JSON copy of it. */
function mutated(change: (event: Record<string, unknown>) => void, type: EventType = 'cfun-transition'): unknown {
  const event = JSON.parse(JSON.stringify(completeEvent(inputOf(type, fullExamples[type])))) as Record<string, unknown>;
  change(event);
  return event;
}

function data(event: Record<string, unknown>): Record<string, unknown> {
  return event['data'] as Record<string, unknown>;
}

function refusal(value: unknown): { path: string; reason: string } {
  try {
    parseEvent(value);
  } catch (error) {
    assert.ok(error instanceof EventInvalidError, 'refused with an EventInvalidError');
    assert.ok(isMedicError(error));
    assert.equal(error.code, 'EVENT_INVALID');
    assert.ok(error.hint?.includes('event.schema.json'), 'the hint points at the documented format');
    return { path: error.path, reason: error.reason };
  }
  assert.fail('the malformed event was accepted');
}

describe('risk events: every type round-trips', () => {
  for (const type of eventTypeNames) {
    it(`${type}, with all fields and with only the required ones`, () => {
      for (const example of [fullExamples[type], minimalExamples[type]]) {
        const event = completeEvent(inputOf(type, example), 7);
        // Through JSON, as the uplink and the ingest see it …
        assert.deepEqual(parseEventJson(JSON.stringify(event)), event);
        // … and through a journal record.
        const line = encodeRecord(event);
        const decoded = decodeRecord(line.subarray(0, line.length - 1));
        assert.ok(decoded.ok);
        assert.deepEqual(decoded.event, event);
      }
    });
  }

  it('keeps expected and unexpected boot reasons apart, with unknown a bucket of its own', () => {
    assert.equal(bootReasons['power-on'], 'expected');
    assert.equal(bootReasons['requested-reset'], 'expected');
    assert.equal(bootReasons['unexpected-rdy'], 'unexpected');
    assert.equal(bootReasons['recovered-from-edl'], 'unexpected');
    assert.equal(bootReasons.unknown, 'unknown');
  });
});

describe('risk events: malformed events are refused with the reason', () => {
  const cases: { name: string; value: unknown; path: string; reason: RegExp }[] = [
    { name: 'not an object', value: [1, 2], path: '', reason: /expected an object, got an array/ },
    { name: 'null', value: null, path: '', reason: /got null/ },
    { name: 'no sequence number', value: mutated((e) => delete e['seq']), path: 'seq', reason: /required/ },
    { name: 'sequence 0', value: mutated((e) => (e['seq'] = 0)), path: 'seq', reason: /outside 1…/ },
    { name: 'fractional sequence', value: mutated((e) => (e['seq'] = 2.5)), path: 'seq', reason: /integer/ },
    { name: 'sequence as a string', value: mutated((e) => (e['seq'] = '3')), path: 'seq', reason: /expected a number, got "3"/ },
    { name: 'future schema version', value: mutated((e) => (e['schema'] = 2)), path: 'schema', reason: /outside 1…1/ },
    { name: 'unit id with a topic separator', value: mutated((e) => (e['unit'] = 'unit/42')), path: 'unit', reason: /does not match/ },
    { name: 'empty boot session', value: mutated((e) => (e['bootSession'] = '')), path: 'bootSession', reason: /shorter/ },
    { name: 'wall clock not a date', value: mutated((e) => (e['wallTime'] = 'yesterday at noon!!')), path: 'wallTime', reason: /RFC 3339/ },
    { name: 'negative monotonic time', value: mutated((e) => (e['monoMs'] = -1)), path: 'monoMs', reason: /outside/ },
    { name: 'unknown type', value: mutated((e) => (e['type'] = 'reboot')), path: 'type', reason: /"reboot" is not an event type \(known: boot,/ },
    { name: 'no data', value: mutated((e) => delete e['data']), path: 'data', reason: /required/ },
    { name: 'data of another type', value: mutated((e) => (e['type'] = 'vbat-sample')), path: 'data.mV', reason: /required/ },
    { name: 'missing data field', value: mutated((e) => delete data(e)['decision']), path: 'data.decision', reason: /required/ },
    { name: 'decision not in the list', value: mutated((e) => (data(e)['decision'] = 'ignored')), path: 'data.decision', reason: /"ignored" is not one of allowed, delayed, coalesced, refused/ },
    { name: 'CFUN level out of range', value: mutated((e) => (data(e)['to'] = 12)), path: 'data.to', reason: /outside 0…9/ },
    { name: 'unknown data field', value: mutated((e) => (data(e)['extra'] = 1)), path: 'data.extra', reason: /not a field/ },
    { name: 'unknown envelope field', value: mutated((e) => (e['priority'] = 'high')), path: 'priority', reason: /not a field/ },
    { name: 'oversized command', value: mutated((e) => (data(e)['command'] = `AT+QCFG="${'x'.repeat(600)}"`), 'nv-write'), path: 'data.command', reason: /longer than 512/ },
    { name: 'boot reason not known', value: mutated((e) => (data(e)['reason'] = 'cosmic-ray'), 'boot'), path: 'data.reason', reason: /not one of power-on, requested-reset/ },
    { name: 'boolean as a string', value: mutated((e) => (data(e)['clean'] = 'yes'), 'agent-lifecycle'), path: 'data.clean', reason: /true or false/ },
    { name: 'USB id of another shape', value: mutated((e) => (data(e)['usbId'] = '05C6-9008'), 'module-in-edl'), path: 'data.usbId', reason: /does not match/ },
  ];
  for (const { name, value, path, reason } of cases) {
    it(name, () => {
      const refused = refusal(value);
      assert.equal(refused.path, path);
      assert.match(refused.reason, reason);
      const check = checkEvent(value);
      assert.equal(check.ok, false);
    });
  }

  it('refuses text that is not JSON, saying so', () => {
    assert.throws(() => parseEventJson('{"schema":1,"unit":'), (error: unknown) => error instanceof EventInvalidError && /not JSON/.test(error.reason));
  });

  it('an event input carries only type and data: the journal adds the envelope', () => {
    const input = { ...inputOf('vbat-sample', { mV: 3700 }), seq: 9 };
    const check = checkEventInput(input);
    assert.ok(!check.ok);
    assert.equal(check.path, 'seq');
    assert.equal(checkEventInput(inputOf('vbat-sample', { mV: 3700 })).ok, true);
  });
});
