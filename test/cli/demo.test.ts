import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runMedic } from '../helpers/medic.js';

describe('medic demo', () => {
  it('powers a module on properly, reports it healthy, powers it off cleanly; then brings back a unit stuck in 9008', async () => {
    const result = await runMedic(['demo', '--time-scale', '0.02'], { timeoutMs: 240_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /PWRKEY low ≥ 500 ms/);
    assert.match(result.stderr, /STATUS goes low \(running\) after [\d.]+ s module time/);
    assert.match(result.stderr, /USB enumerates as 2c7c:0125/);
    assert.match(result.stderr, /Registered on .* NET_STATUS now 1800\/200 ms/);
    assert.match(result.stdout, /^verdict: healthy — registered on /m);
    assert.match(result.stderr, /ungraceful power cuts recorded by the module: 0\./);
    // The field report's second unit: nothing on USB; diagnose asks for bench values, concludes,
    // the strap brings up 9008, the flash brings it back.
    assert.match(result.stderr, /`medic scan`: the host sees no Quectel or Qualcomm device at all/);
    assert.match(result.stderr, /medic diagnose asks: VDD_EXT \(pin 7\) to GND, in volts\? +→ 1\.8/);
    assert.match(result.stderr, /medic diagnose: A boot stage hangs before USB/);
    assert.match(result.stderr, /USB_BOOT strapped to VDD_EXT/);
    assert.match(result.stderr, /The host now sees 05c6:9008/);
    // Then the unit stuck in 9008: found, diagnosed from the bench values, reflashed, healthy.
    assert.match(result.stderr, /`medic scan`: the host sees 05c6:9008/);
    assert.match(result.stderr, /medic diagnose asks: USB_BOOT .*→ low/);
    assert.match(result.stderr, /medic diagnose: Corrupted boot chain/);
    assert.match(result.stderr, /erase sectors 0\+640 \(SBL, first\)/);
    assert.match(result.stderr, /program update\/sbl1\.mbn at sector 0 \(sbl\) \(SBL, last\)/);
    assert.equal(result.stderr.match(/flashed-and-verified/g)?.length, 2);
    assert.equal(result.stderr.match(/It boots: 2c7c:0125/g)?.length, 2);
    const verdicts = result.stdout.match(/^verdict: .*$/gm) ?? [];
    assert.deepEqual(verdicts.map((v) => v.startsWith('verdict: healthy')), [true, true, true]);
  });

  it('gives the report as JSON with --json, the story staying on stderr', async () => {
    const result = await runMedic(['demo', '--time-scale', '0.02', '--json'], { timeoutMs: 240_000 });
    assert.equal(result.code, 0, result.stderr);
    const body = JSON.parse(result.stdout) as { ok: boolean; report: { verdict: { severity: string } }; recoveries: { scenario: string; cause: string; flash: { outcome: string }; report: { verdict: { severity: string } } }[] };
    assert.equal(body.report.verdict.severity, 'ok');
    assert.deepEqual(body.recoveries.map((r) => [r.scenario, r.cause, r.flash.outcome, r.report.verdict.severity]), [
      ['no-usb', 'boot-hang-no-usb', 'flashed-and-verified', 'ok'],
      ['edl-corrupt', 'boot-chain-corrupt', 'flashed-and-verified', 'ok'],
    ]);
  });

  it('refuses a nonsense time scale with a usage error', async () => {
    const result = await runMedic(['demo', '--time-scale', 'fast']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--time-scale fast is not a factor/);
  });
});
