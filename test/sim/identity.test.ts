import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkIccid, checkImei, isValidLuhn, luhnCheckDigit, newImei, resolveIdentity } from '../../src/sim/identity.js';
import { DEFAULT_SIM } from '../../src/sim/scenarios.js';
import { createRng } from '../../src/core/rng.js';

describe('simulator identity and PRNG', () => {
  it('computes Luhn check digits (a known IMEI: 490154203237518)', () => {
    assert.equal(luhnCheckDigit('49015420323751'), 8);
    assert.ok(isValidLuhn('490154203237518'));
    assert.ok(!isValidLuhn('490154203237519'));
  });

  it('makes valid 15-digit IMEIs and checks the ones it is given', () => {
    for (let i = 0; i < 20; i++) assert.ok(/^\d{15}$/.test(newImei()) && isValidLuhn(newImei()));
    assert.equal(checkImei('490154203237518'), '490154203237518');
    assert.throws(() => checkImei('490154203237519'), /not a valid IMEI/);
    assert.throws(() => checkImei('49015420323751'), /not a valid IMEI/);
    assert.equal(checkIccid(DEFAULT_SIM.iccid), DEFAULT_SIM.iccid);
    assert.throws(() => checkIccid('8901'), /not a valid ICCID/);
  });

  it('defaults to an EC25-A on EC25AFAR05A04M4G and keeps a stored identity', () => {
    const fresh = resolveIdentity(undefined, {});
    assert.equal(fresh.model, 'EC25-A');
    assert.equal(fresh.revision, 'EC25AFAR05A04M4G');
    assert.equal(fresh.subVersion, '01.001.01.001');
    assert.deepEqual(resolveIdentity(fresh, {}), fresh);
    assert.equal(resolveIdentity(fresh, { model: 'EG25-G' }).revision, 'EG25GGBR07A08M2G');
    assert.throws(() => resolveIdentity(undefined, { model: 'EC99' }), /unknown model/);
    assert.throws(() => resolveIdentity(undefined, { revision: 'hello' }), /firmware revision/);
  });

  it('replays the same numbers from the same seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const draws = Array.from({ length: 10 }, () => a.next());
    assert.deepEqual(Array.from({ length: 10 }, () => b.next()), draws);
    assert.ok(draws.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(Array.from({ length: 10 }, () => createRng(43).next()), draws.slice(0, 1));
  });
});
