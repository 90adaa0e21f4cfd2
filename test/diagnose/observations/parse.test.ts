import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectObservations, parseObservation, splitObservation, type Observation } from '../../../src/diagnose/observations/index.js';
import { isMedicError } from '../../../src/core/errors.js';

const typed = (text: string): Observation => parseObservation(splitObservation(text), 'user');

function usageError(fn: () => unknown): { message: string; hint: string; reason: unknown } {
  try {
    fn();
  } catch (error) {
    assert.ok(isMedicError(error), 'a MedicError, not a crash');
    assert.equal(error.code, 'USAGE');
    return { message: error.message, hint: error.hint ?? '', reason: error.details['reason'] };
  }
  assert.fail('expected a usage error');
}

describe('observation parsing', () => {
  it('reads volts, a current range, and choices in the spellings people use', () => {
    assert.deepEqual(typed('vdd_ext=1.8').value, { kind: 'number', min: 1.8, max: 1.8 });
    assert.deepEqual(typed('VDD-EXT = 1.8 V').value, { kind: 'number', min: 1.8, max: 1.8 });
    assert.deepEqual(typed('vbat=3800mV').value, { kind: 'number', min: 3.8, max: 3.8 });
    assert.deepEqual(typed('current_ma=55-170').value, { kind: 'number', min: 55, max: 170 });
    assert.deepEqual(typed('current_ma=0.042A').value, { kind: 'number', min: 42, max: 42 });
    assert.deepEqual(typed('usb=05c6:9008').value, { kind: 'choice', value: '9008' });
    assert.deepEqual(typed('usb=QDLoader').value, { kind: 'choice', value: '9008' });
    assert.deepEqual(typed('net_status=slow blink').value, { kind: 'choice', value: 'slow-blink' });
    assert.deepEqual(typed('usb_boot=1.8').value, { kind: 'choice', value: 'high' }, 'a logic pin may be given in volts');
    assert.deepEqual(typed('usb_boot=0.02V').value, { kind: 'choice', value: 'low' });
  });

  it('names the nearest known key for a mistyped one', () => {
    const error = usageError(() => typed('vdd_xt=1.8'));
    assert.match(error.message, /unknown observation "vdd_xt"/);
    assert.match(error.hint, /Did you mean vdd_ext\?/);
    assert.equal(error.reason, 'unknown-key');
  });

  it('refuses a physically impossible reading and says what is plausible', () => {
    const error = usageError(() => typed('vdd_ext=7'));
    assert.match(error.message, /vdd_ext=7 is not possible: VDD_EXT is the module's own 1\.8 V output/);
    assert.match(error.hint, /between 0 and 2\.2 V/);
    assert.equal(error.reason, 'impossible');
    assert.equal(usageError(() => typed('current_ma=9000')).reason, 'impossible');
    assert.equal(usageError(() => typed('vbat=-3')).reason, 'impossible');
    assert.equal(usageError(() => typed('usb_boot=3.3')).reason, 'impossible');
  });

  it('refuses malformed ranges, and ranges where only one value makes sense', () => {
    for (const text of ['current_ma=55-', 'current_ma=55-170-200', 'current_ma=55-abc', 'current_ma=170-55']) {
      const error = usageError(() => typed(text));
      assert.equal(error.reason, 'malformed-range', text);
    }
    assert.match(usageError(() => typed('current_ma=170-55')).hint, /current_ma=55-170/);
    assert.equal(usageError(() => typed('vdd_ext=1-2')).reason, 'not-a-number');
  });

  it('refuses a value that is not one of the choices, suggesting the closest', () => {
    const error = usageError(() => typed('status=hihg'));
    assert.match(error.message, /status=hihg is not one of high, low, toggling/);
    assert.match(error.hint, /Did you mean status=high\?/);
    assert.equal(usageError(() => typed('usb_boot=0.9')).reason, 'ambiguous-level');
    assert.equal(usageError(() => splitObservation('vdd_ext')).reason, 'syntax');
  });
});

describe('collecting observations', () => {
  it('refuses contradictions that involve a typed value, naming both readings', () => {
    const error = usageError(() => collectObservations([typed('usb=normal'), typed('vdd_ext=0')]));
    assert.match(error.message, /contradictory observations: usb=normal \(you said\), vdd_ext=0 \(you said\)/);
    assert.match(error.hint, /Measure VDD_EXT again/);
    assert.equal(error.reason, 'contradiction');
    assert.equal(usageError(() => collectObservations([typed('supply_v=3.6'), typed('vbat=3.9')])).reason, 'contradiction');
  });

  it('turns a contradiction between automatic readings into a note (a module restarting while we look)', () => {
    const scan = parseObservation({ key: 'usb', value: 'normal' }, 'scan');
    const bench = parseObservation({ key: 'vdd_ext', value: '0' }, 'bench');
    const { notes } = collectObservations([scan, bench]);
    assert.equal(notes.length, 1);
    assert.match(notes[0] ?? '', /readings disagree .* the module may be restarting/);
  });

  it('lets a typed value replace an automatic one, and says so', () => {
    const { observations, notes } = collectObservations([parseObservation({ key: 'usb', value: 'none' }, 'scan'), typed('usb=9008')]);
    assert.equal(observations.get('usb')?.text, '9008');
    assert.match(notes[0] ?? '', /using your 9008 instead of none/);
  });

  it('computes the supply path resistance from the supply, VBAT at the pins and the current', () => {
    const { observations } = collectObservations([typed('supply_v=3.8'), typed('vbat=3.68'), typed('current_ma=100')]);
    // 120 mV over 100 mA is 1.2 Ω, give or take the ±5 mV each voltage reading may be off.
    assert.deepEqual(observations.get('source_ohms')?.value, { kind: 'number', min: 1.1, max: 1.3 });
    const stiff = collectObservations([typed('supply_v=3.8'), typed('vbat=3.797'), typed('current_ma=60')]).observations;
    assert.deepEqual(stiff.get('source_ohms')?.value, { kind: 'number', min: 0, max: 0.22 }, 'a few mV of sag at 60 mA cannot be told from 0 Ω');
    const idle = collectObservations([typed('supply_v=3.8'), typed('vbat=3.8'), typed('current_ma=0')]).observations;
    assert.equal(idle.has('source_ohms'), false, 'no load, no resistance to compute');
  });
});
