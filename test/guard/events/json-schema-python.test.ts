import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { eventTypeNames } from '../../../src/guard/events/event-types.js';
import { completeEvent, fullExamples, inputOf, minimalExamples } from '../../helpers/risk-events.js';

// A second opinion from a real draft 2020-12 implementation (python3-jsonschema, Debian), so the
// documented file is checked by something we did not write. Skips where it is not installed.

const schemaPath = fileURLToPath(new URL('../../../../src/guard/events/event.schema.json', import.meta.url));
const hasJsonschema = spawnSync('python3', ['-c', 'import jsonschema'], { stdio: 'ignore' }).status === 0;

const script = `
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
print(json.dumps([validator.is_valid(event) for event in json.load(sys.stdin)]))
`;

function verdicts(events: readonly unknown[]): boolean[] {
  const result = spawnSync('python3', ['-c', script, schemaPath], { input: JSON.stringify(events), encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as boolean[];
}

describe('event.schema.json under python3-jsonschema (draft 2020-12)', { skip: hasJsonschema ? false : 'python3-jsonschema is not installed' }, () => {
  it('is a valid schema and accepts every example event', () => {
    const events = eventTypeNames.flatMap((type) => [completeEvent(inputOf(type, fullExamples[type])), completeEvent(inputOf(type, minimalExamples[type]))]);
    assert.deepEqual(verdicts(events), events.map(() => true));
  });

  it('refuses malformed events', () => {
    const base = completeEvent(inputOf('boot', fullExamples.boot));
    const bad = [
      { ...base, data: { reason: 'cosmic-ray' } },
      { ...base, type: 'vbat-sample' },
      { ...base, seq: 0 },
      { ...base, wallTime: 'yesterday at noon, roughly' },
      { ...base, extra: 1 },
    ];
    assert.deepEqual(verdicts(bad), bad.map(() => false));
  });
});
