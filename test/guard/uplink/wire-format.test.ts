import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TOPIC_PREFIX as FLEET_PREFIX, unitTopic as fleetUnitTopic } from '../../../src/fleet/index.js';
import type { RiskEvent } from '../../../src/guard/events/index.js';
import { answerFits, batchRefusalOf, DEFAULT_TOPIC_PREFIX, parseServerAnswer, unitTopic } from '../../../src/guard/uplink/index.js';
import { eventsOf } from '../../fleet/fleet-fixture.js';

const batch: RiskEvent[] = eventsOf('unit-w', 11, 10);

describe('uplink wire format', () => {
  it('names the same topics as the fleet server', () => {
    assert.equal(DEFAULT_TOPIC_PREFIX, FLEET_PREFIX);
    for (const kind of ['events', 'status', 'ack'] as const) assert.equal(unitTopic('p/x', 'unit-7', kind), fleetUnitTopic('p/x', 'unit-7', kind));
  });

  it('reads the server\'s answer and refuses anything else', () => {
    assert.deepEqual(parseServerAnswer('{"ok":true,"accepted":2,"duplicates":1,"refused":[],"highestStoredSeq":3}'), { ok: true, accepted: 2, duplicates: 1, refused: [], highestStoredSeq: 3 });
    for (const garbage of ['', 'online', '{"ok":true}', '{"ok":"yes","accepted":1,"duplicates":0,"refused":[]}', '{"ok":false,"accepted":-1,"duplicates":0,"refused":[]}', '{"ok":false,"accepted":0,"duplicates":0,"refused":[{"detail":"x"}]}', '[1,2]', '<html>502</html>']) {
      assert.equal(parseServerAnswer(garbage), undefined, garbage);
    }
  });

  it('takes an answer for the batch in flight only when it accounts for exactly that batch', () => {
    assert.ok(answerFits({ ok: true, accepted: 10, duplicates: 0, refused: [], highestStoredSeq: 20 }, batch));
    assert.ok(answerFits({ ok: false, accepted: 8, duplicates: 1, refused: [{ reason: 'seq-conflict', detail: '', seq: 15 }], highestStoredSeq: 20 }, batch));
    // A late answer to an earlier, shorter attempt at the same events, or to the batch before.
    assert.ok(!answerFits({ ok: true, accepted: 5, duplicates: 0, refused: [], highestStoredSeq: 15 }, batch));
    assert.ok(!answerFits({ ok: true, accepted: 10, duplicates: 0, refused: [], highestStoredSeq: 10 }, batch));
    // A refusal of the whole message always answers the message in flight.
    assert.ok(answerFits({ ok: false, accepted: 0, duplicates: 0, refused: [{ reason: 'unit-mismatch', detail: 'x', index: 0, seq: 11 }] }, batch));
  });

  it('tells a refusal of the whole message from events refused one by one', () => {
    assert.equal(batchRefusalOf({ ok: false, accepted: 0, duplicates: 0, refused: [{ reason: 'oversized', detail: '2 MB' }] })?.reason, 'oversized');
    assert.equal(batchRefusalOf({ ok: false, accepted: 0, duplicates: 0, refused: [{ reason: 'invalid-event', detail: 'data.mV', seq: 3 }] }), undefined);
    assert.equal(batchRefusalOf({ ok: true, accepted: 3, duplicates: 0, refused: [] }), undefined);
  });
});
