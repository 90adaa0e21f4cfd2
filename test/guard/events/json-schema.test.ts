import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { bootReasonNames, eventTypeNames } from '../../../src/guard/events/event-types.js';
import { riskEventJsonSchemaText } from '../../../src/guard/events/json-schema.js';
import { checkEvent } from '../../../src/guard/events/validate.js';
import { schemaErrors } from '../../helpers/json-schema-check.js';
import { completeEvent, fullExamples, inputOf, minimalExamples } from '../../helpers/risk-events.js';

// The committed file, read from the source tree (tests run from dist/test/guard/events/).
const schemaPath = fileURLToPath(new URL('../../../../src/guard/events/event.schema.json', import.meta.url));
const schemaText = readFileSync(schemaPath, 'utf8');

type Schema = Record<string, unknown>;

function parsedSchema(): Schema {
  return JSON.parse(schemaText) as Schema;
}

describe('event.schema.json', () => {
  it('is JSON Schema draft 2020-12 JSON', () => {
    const schema = parsedSchema();
    assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema['type'], 'object');
  });

  it('is what the declarations produce (regenerate with node dist/src/guard/events/write-schema.js)', () => {
    assert.equal(schemaText, riskEventJsonSchemaText());
  });

  it('has one oneOf branch and one $defs entry for every type of the TypeScript union, and no others', () => {
    const schema = parsedSchema();
    const branches = (schema['oneOf'] as Schema[]).map((branch) => ((branch['properties'] as Schema)['type'] as Schema)['const']);
    // fullExamples is checked by the compiler against the union (`satisfies` every EventType).
    const unionTypes = Object.keys(fullExamples).sort();
    assert.deepEqual([...branches].sort(), unionTypes);
    assert.deepEqual(Object.keys(schema['$defs'] as Schema).sort(), unionTypes);
    assert.deepEqual(((schema['properties'] as Schema)['type'] as Schema)['enum'], eventTypeNames);
  });

  it('documents the boot reasons and which are expected', () => {
    const boot = ((parsedSchema()['$defs'] as Schema)['boot'] as Schema)['properties'] as Schema;
    const reason = boot['reason'] as Schema;
    assert.deepEqual(reason['enum'], bootReasonNames);
    assert.match(String(reason['description']), /expected: power-on, requested-reset; unexpected: unexpected-rdy, recovered-from-edl; unknown: unknown/);
  });

  it('accepts every example event, as the validator does', () => {
    const schema = parsedSchema();
    for (const type of eventTypeNames) {
      for (const example of [fullExamples[type], minimalExamples[type]]) {
        const event = completeEvent(inputOf(type, example));
        assert.deepEqual(schemaErrors(schema, schema, event), [], type);
        assert.equal(checkEvent(event).ok, true, type);
      }
    }
  });

  it('refuses what the validator refuses', () => {
    const schema = parsedSchema();
    const base = completeEvent(inputOf('vbat-dip', fullExamples['vbat-dip']));
    const bad: unknown[] = [
      { ...base, seq: 0 },
      { ...base, type: 'reboot' },
      { ...base, type: 'boot' },
      { ...base, data: { ...base.data, extra: true } },
      { ...base, unit: 'a/b' },
      { ...base, data: { mV: 3000 } },
      { ...base, monoMs: 'soon' },
    ];
    for (const value of bad) {
      assert.notDeepEqual(schemaErrors(schema, schema, value), [], JSON.stringify(value));
      assert.equal(checkEvent(value).ok, false, JSON.stringify(value));
    }
  });
});
