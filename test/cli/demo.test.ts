import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runMedic } from '../helpers/medic.js';

describe('medic demo', () => {
  it('powers the simulated module on properly, reports it healthy, powers it off without an ungraceful cut', async () => {
    const result = await runMedic(['demo', '--time-scale', '0.02'], { timeoutMs: 120_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /PWRKEY low ≥ 500 ms/);
    assert.match(result.stderr, /STATUS goes low \(running\) after [\d.]+ s module time/);
    assert.match(result.stderr, /USB enumerates as 2c7c:0125/);
    assert.match(result.stderr, /Registered on .* NET_STATUS now 1800\/200 ms/);
    assert.match(result.stdout, /^verdict: healthy — registered on /m);
    assert.match(result.stderr, /ungraceful power cuts recorded by the module: 0\./);
  });

  it('gives the report as JSON with --json, the story staying on stderr', async () => {
    const result = await runMedic(['demo', '--time-scale', '0.02', '--json'], { timeoutMs: 120_000 });
    assert.equal(result.code, 0, result.stderr);
    const body = JSON.parse(result.stdout) as { ok: boolean; report: { verdict: { severity: string } } };
    assert.equal(body.report.verdict.severity, 'ok');
  });

  it('refuses a nonsense time scale with a usage error', async () => {
    const result = await runMedic(['demo', '--time-scale', 'fast']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--time-scale fast is not a factor/);
  });
});
