import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unitCredentials } from '../../../src/fleet/http/index.js';
import { eventDigest, parsePayload } from '../../../src/fleet/ingest/index.js';
import { hashSecret, verifySecret } from '../../../src/fleet/units/index.js';
import { eventOf } from '../fleet-fixture.js';

describe('ingest payloads', () => {
  it('reads a batch object, an array, one event and NDJSON alike', () => {
    const [a, b] = [eventOf('u1', 1), eventOf('u1', 2)];
    assert.deepEqual(parsePayload(JSON.stringify({ events: [a, b] }), 'json'), { ok: true, items: [a, b] });
    assert.deepEqual(parsePayload(JSON.stringify([a, b]), 'json'), { ok: true, items: [a, b] });
    assert.deepEqual(parsePayload(JSON.stringify(a), 'json'), { ok: true, items: [a] });
    assert.deepEqual(parsePayload(`${JSON.stringify(a)}\n\n${JSON.stringify(b)}\n`, 'ndjson'), { ok: true, items: [a, b] });
  });

  it('names what is wrong with garbage, truncation and stray fields', () => {
    const truncated = parsePayload(JSON.stringify({ events: [eventOf('u1', 1)] }).slice(0, 40), 'json');
    assert.equal(truncated.ok, false);
    assert.equal(truncated.refusal.reason, 'malformed-json');
    const line = parsePayload(`${JSON.stringify(eventOf('u1', 1))}\n{"schema":1,`, 'ndjson');
    assert.match(!line.ok ? line.refusal.detail : '', /^line 2: /u);
    const stray = parsePayload(JSON.stringify({ events: [], ack: 5 }), 'json');
    assert.deepEqual(!stray.ok && stray.refusal, { reason: 'malformed-batch', detail: 'unknown field ack beside "events"' });
    for (const text of ['42', 'null', '"events"', '{}']) assert.equal(parsePayload(text, 'json').ok, false, text);
  });

  it('gives the same digest whatever the key order, another one for other content', () => {
    const event = eventOf('u1', 7);
    const reordered = Object.fromEntries(Object.entries(event).reverse());
    assert.equal(eventDigest(reordered), eventDigest(event));
    assert.notEqual(eventDigest({ ...event, monoMs: event.monoMs + 1 }), eventDigest(event));
  });
});

describe('unit credentials', () => {
  it('reads Basic and Bearer, and nothing else', () => {
    assert.deepEqual(unitCredentials(`Basic ${Buffer.from('unit-1:s3:cret').toString('base64')}`), { unit: 'unit-1', secret: 's3:cret' });
    assert.deepEqual(unitCredentials('Bearer unit-1:secret'), { unit: 'unit-1', secret: 'secret' });
    for (const header of [undefined, '', 'Basic', 'Basic !!!', 'Bearer secret-without-unit', 'Digest a:b', `Basic ${Buffer.from(':secret').toString('base64')}`]) {
      assert.equal(unitCredentials(header), undefined, String(header));
    }
  });

  it('verifies a secret against its scrypt hash, never against a damaged one', async () => {
    const stored = await hashSecret('a-secret-of-sixteen');
    assert.match(stored, /^scrypt\$16384\$8\$1\$/u);
    assert.equal(await verifySecret('a-secret-of-sixteen', stored), true);
    assert.equal(await verifySecret('a-secret-of-sixteen!', stored), false);
    assert.equal(await verifySecret('a-secret-of-sixteen', 'plain-text'), false);
    assert.equal(await verifySecret('a-secret-of-sixteen', stored.slice(0, -4)), false);
  });
});
