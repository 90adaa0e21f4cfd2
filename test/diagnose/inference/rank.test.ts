import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextQuestion, rankCauses } from '../../../src/diagnose/inference/index.js';
import { collectObservations, parseObservation, splitObservation, type Observations } from '../../../src/diagnose/observations/index.js';

function observe(...texts: string[]): Observations {
  return collectObservations(texts.map((text) => parseObservation(splitObservation(text), 'user'))).observations;
}

function first(...texts: string[]): string | undefined {
  return rankCauses(observe(...texts)).ranked[0]?.cause.id;
}

describe('ranking causes', () => {
  it('field report case 1: 9008, USB_BOOT low, 42 mA, VDD_EXT 1.8 V → corrupted boot chain, clearly', () => {
    const diagnosis = rankCauses(observe('usb=9008', 'usb_boot=low', 'current_ma=42', 'vdd_ext=1.8', 'status=high', 'net_status=off', 'vbat=3.8'));
    const top = diagnosis.ranked[0];
    assert.ok(top);
    assert.equal(top.cause.id, 'boot-chain-corrupt');
    assert.ok(diagnosis.clear);
    assert.ok(top.probability > 0.95);
    assert.deepEqual(top.for.map((hit) => hit.key).sort(), ['current_ma', 'status', 'usb', 'usb_boot', 'vdd_ext']);
  });

  it('field report case 2: no USB, VDD_EXT 1.8 V, 55–170 mA wandering, USB_BOOT low → hang before USB, strap USB_BOOT', () => {
    const diagnosis = rankCauses(observe('usb=none', 'vdd_ext=1.8', 'current_ma=55-170', 'usb_boot=low'));
    assert.equal(diagnosis.ranked[0]?.cause.id, 'boot-hang-no-usb');
    assert.ok(diagnosis.clear);
  });

  it('9008 with USB_BOOT high → the board holds USB_BOOT, and the corrupt boot chain is evidence against', () => {
    const diagnosis = rankCauses(observe('usb=9008', 'usb_boot=high'));
    assert.equal(diagnosis.ranked[0]?.cause.id, 'usb-boot-held');
    const corrupt = diagnosis.ranked.find((entry) => entry.cause.id === 'boot-chain-corrupt');
    assert.ok(corrupt?.against.some((hit) => hit.key === 'usb_boot'));
  });

  it('tells the power-side causes apart', () => {
    assert.equal(first('usb=none', 'vdd_ext=0', 'vbat=3.8'), 'never-started');
    assert.equal(first('usb=none', 'vdd_ext=0', 'vbat=3.8', 'pwrkey_low=0.8', 'pwrkey_high=1.38'), 'pwrkey-bad-levels');
    assert.equal(first('usb=none', 'vdd_ext=0', 'vbat=3.8', 'pwrkey_low=0.05', 'pwrkey_pulse_ms=150'), 'pwrkey-short-pulse');
    assert.equal(first('usb=none', 'vbat=0', 'current_ma=0'), 'no-power');
    assert.equal(first('supply_v=3.8', 'vbat=3.62', 'current_ma=150', 'status=toggling'), 'weak-supply');
    assert.equal(first('usb=none', 'status=low', 'net_status=slow-blink', 'vdd_ext=1.8'), 'usb-link-broken');
    // No current reading: the drop from the supply to the pins alone gives the weak path away.
    assert.equal(first('usb=normal', 'at_answers=yes', 'cfun=1', 'registration=searching', 'supply_v=3.80', 'vbat=3.67'), 'weak-supply');
    assert.notEqual(first('usb=normal', 'at_answers=yes', 'cfun=1', 'registration=searching', 'supply_v=3.80', 'vbat=3.79'), 'weak-supply');
  });

  it('reads what the module says over AT', () => {
    const up = ['usb=normal', 'at_answers=yes'];
    assert.equal(first(...up, 'cfun=5'), 'calibration-lost');
    assert.equal(first(...up, 'cfun=7'), 'baseline-mismatch');
    assert.equal(first(...up, 'cfun=1', 'sim=missing', 'registration=not-registered'), 'sim-missing');
    assert.equal(first(...up, 'cfun=1', 'sim=ready', 'registration=searching', 'signal=none'), 'no-network');
    assert.equal(first(...up, 'cfun=1', 'sim=ready', 'registration=registered', 'port_holder=modemmanager'), 'port-held');
    assert.equal(first(...up, 'cfun=1', 'sim=ready', 'registration=registered', 'autosuspend=on'), 'usb-autosuspend');
    assert.equal(first(...up, 'cfun=1', 'sim=ready', 'registration=registered', 'risky_settings=yes'), 'risky-settings');
    assert.equal(first(...up, 'cfun=1', 'sim=ready', 'registration=registered', 'signal=good'), 'healthy');
  });

  it('names a weak supply before the lost calibration it probably caused', () => {
    const diagnosis = rankCauses(observe('usb=normal', 'at_answers=yes', 'cfun=5', 'supply_v=3.8', 'vbat=3.752', 'current_ma=40'));
    assert.deepEqual(diagnosis.ranked.slice(0, 2).map((entry) => entry.cause.id), ['weak-supply', 'calibration-lost']);
    assert.equal(diagnosis.ranked[1]?.causedBy, 'weak-supply');
    // With a stiff supply the calibration loss stands alone.
    assert.equal(first('usb=normal', 'at_answers=yes', 'cfun=5', 'supply_v=3.8', 'vbat=3.798', 'current_ma=40'), 'calibration-lost');
  });
});

describe('choosing the next measurement', () => {
  it('asks for VDD_EXT when the host sees nothing: it splits "never started" from "hangs before USB"', () => {
    const question = nextQuestion(observe('usb=none'));
    assert.equal(question?.spec.key, 'vdd_ext');
    assert.ok(question.between.includes('boot-hang-no-usb'));
  });

  it('asks for USB_BOOT when the host sees 9008', () => {
    assert.equal(nextQuestion(observe('usb=9008'))?.spec.key, 'usb_boot');
  });

  it('does not ask again what was skipped, and asks nothing once the cause is clear', () => {
    const question = nextQuestion(observe('usb=9008'), { asked: new Set(['usb_boot']) });
    assert.notEqual(question?.spec.key, 'usb_boot');
    const clear = observe('usb=9008', 'usb_boot=low', 'current_ma=42', 'vdd_ext=1.8');
    assert.ok(rankCauses(clear).clear);
  });

  it('narrows the no-USB case to one cause in a few answers', () => {
    const truth: Record<string, string> = { vdd_ext: '1.8', current_ma: '55-170', usb_boot: 'low', status: 'high', net_status: 'off', vbat: '3.8', supply_v: '3.81' };
    const texts = ['usb=none'];
    const asked = new Set<string>();
    for (let i = 0; i < 6 && !rankCauses(observe(...texts)).clear; i += 1) {
      const question = nextQuestion(observe(...texts), { asked });
      assert.ok(question, 'a question while unclear');
      asked.add(question.spec.key);
      const answer = truth[question.spec.key];
      if (answer !== undefined) texts.push(`${question.spec.key}=${answer}`);
    }
    const diagnosis = rankCauses(observe(...texts));
    assert.ok(diagnosis.clear);
    assert.equal(diagnosis.ranked[0]?.cause.id, 'boot-hang-no-usb');
    assert.ok(asked.size <= 4, `asked ${[...asked].join(', ')}`);
  });
});
