// Causes on the power side: no VBAT, a supply that sags (the vendor's first root cause, §5.1),
// PWRKEY levels or pulse out of spec, and a module that never started for a reason not yet found.
import type { Cause } from './types.js';
import { levels } from './levels.js';

const onUsb = ['normal', '9008', 'fastboot', 'other'];

export const noPower: Cause = {
  id: 'no-power',
  title: 'No power: VBAT does not reach the module',
  explanation: 'With no VBAT at the module pins nothing can start. The supply may be off, or a fuse, switch, connector or trace between it and the module is open.',
  confidence: 'high',
  prior: 0,
  evidence: [
    { key: 'vbat', test: { below: levels.vbatPresentV }, weight: 6, why: 'VBAT at the pins is below 2.5 V: the module is unpowered' },
    { key: 'vbat', test: { atLeast: 3.0 }, weight: -6, why: 'VBAT is present at the pins' },
    { key: 'current_ma', test: { below: 1 }, weight: 2, why: 'no current flows' },
    { key: 'current_ma', test: { atLeast: 20 }, weight: -4, why: 'the module draws current, so it has power' },
    { key: 'usb', test: { is: onUsb }, weight: -6, why: 'the module is on USB, so it has power' },
    { key: 'vdd_ext', test: { below: levels.vddExtAbsentV }, weight: 1, why: 'VDD_EXT absent, as expected without power' },
    { key: 'vdd_ext', test: { atLeast: levels.vddExtStartedV }, weight: -6, why: 'VDD_EXT is present, so the module is powered' },
  ],
  next: [
    { kind: 'bench', text: 'Measure VBAT at the supply, then along the path to the module pins (57–60): find where the voltage disappears (fuse, switch, connector, load switch enable).' },
    { kind: 'bench', text: 'Set the supply to 3.8 V with ≥ 2 A capability (§8.1).' },
  ],
  sources: ['quectel-ec25.md §4.1, §8.1'],
  fault: true,
};

export const weakSupply: Cause = {
  id: 'weak-supply',
  title: 'Weak supply: VBAT sags under load and the module browns out and resets',
  explanation: 'The supply path has too much resistance (or too little capacitance) for the module\'s current bursts: VBAT dips below the brown-out level and the module resets, sometimes mid-write — the vendor\'s first named cause of modules needing a reflash. Fix it before any reflash or restore, or the damage comes back.',
  confidence: 'medium',
  prior: 0,
  evidence: [
    { key: 'source_ohms', test: { atLeast: levels.sourceOhmsBad }, weight: 6.5, why: 'the supply path has ≥ 0.5 Ω: a 2 A burst would drop VBAT by a volt or more, where §8.1 allows 400 mV' },
    { key: 'source_ohms', test: { within: [levels.sourceOhmsLimit, levels.sourceOhmsBad] }, weight: 3.5, why: 'the supply path has 0.2–0.5 Ω: a 2 A burst dips VBAT past the 400 mV allowed (§8.1)' },
    { key: 'source_ohms', test: { below: levels.sourceOhmsGood }, weight: -4, why: 'the supply path is stiff (< 0.1 Ω)' },
    { key: 'supply_drop_v', test: { atLeast: 0.1 }, weight: 4, why: 'VBAT at the pins is ≥ 100 mV under the supply with the module at rest: the path has ≥ 0.5 Ω, and a 2 A burst may lose only 400 mV (§8.1)' },
    { key: 'supply_drop_v', test: { below: 0.03 }, weight: -2, why: 'VBAT at the pins is within 30 mV of the supply' },
    { key: 'status', test: { is: ['toggling'] }, weight: 3.5, why: 'STATUS keeps changing: the module restarts over and over' },
    { key: 'vbat', test: { within: [levels.vbatPresentV, levels.vbatMinV] }, weight: 4, why: 'VBAT at the pins is below the 3.3 V minimum (§8.1)' },
    { key: 'vbat', test: { within: [levels.vbatMinV, levels.vbatWarnV] }, weight: 1.5, why: 'VBAT is near the bottom of its range: little margin for a burst (§8.1)' },
    { key: 'vbat', test: { within: [levels.vbatWarnV, 3.7] }, weight: 1, why: 'VBAT at the pins is well under the 3.8 V typical: the supply sags already at this load' },
    { key: 'vbat', test: { atLeast: 3.7 }, weight: -1, why: 'VBAT at the pins is close to the 3.8 V typical' },
    { key: 'vbat', test: { below: levels.vbatPresentV }, weight: -3, why: 'no VBAT at all: that is no power, not a weak one' },
  ],
  next: [
    { kind: 'bench', text: 'Scope VBAT at the module pins while it registers or transmits: dips must stay within ~400 mV and above 3.3 V (§8.1).' },
    { kind: 'bench', text: 'Shorten and thicken the supply wires, use a supply good for ≥ 2 A, and put ~100 µF low-ESR plus 100 nF/33 pF/10 pF next to the VBAT pins (§8.1, UNVERIFIED values).' },
    { kind: 'command', text: 'Then `medic info --port {atPort}` to see whether the resets damaged it (+CFUN: 5 means the calibration is gone).' },
  ],
  sources: ['quectel-ec25.md §4.1, §5.1 (vendor root causes), §8.1', 'eg25-manager worn-battery delay (§4.1)'],
  fault: true,
  rootOf: ['calibration-lost', 'boot-chain-corrupt', 'boot-hang-no-usb', 'no-network', 'usb-link-broken'],
};

export const pwrkeyBadLevels: Cause = {
  id: 'pwrkey-bad-levels',
  title: 'PWRKEY does not reach a valid low level, so the module never starts',
  explanation: 'The power-on press must pull PWRKEY close to 0 V. A driver transistor that does not saturate, a wrong resistor or a level shifter leaves it part-way (QFORUM/3086 measured 0.8 V low / 1.38 V high on a unit that never started).',
  confidence: 'medium',
  prior: 0,
  evidence: [
    { key: 'pwrkey_low', test: { atLeast: levels.pwrkeyLowMaxV }, weight: 5, why: 'PWRKEY only goes down to ≥ 0.5 V when pressed: not a valid low (QFORUM/3086; threshold UNVERIFIED)' },
    { key: 'pwrkey_low', test: { below: levels.pwrkeyLowGoodV }, weight: -4, why: 'PWRKEY goes properly low when pressed' },
    { key: 'pwrkey_high', test: { below: levels.pwrkeyReleasedMinV }, weight: 2, why: 'PWRKEY released sits under 1 V: something loads or holds it (UNVERIFIED level)' },
    { key: 'vdd_ext', test: { below: levels.vddExtAbsentV }, weight: 1.5, why: 'VDD_EXT absent: the module did not start' },
    { key: 'vdd_ext', test: { atLeast: levels.vddExtStartedV }, weight: -4, why: 'VDD_EXT present: the module did start' },
    { key: 'usb', test: { is: onUsb }, weight: -5, why: 'the module is on USB, so it started' },
  ],
  next: [
    { kind: 'bench', text: 'Scope PWRKEY during the press: it must go near 0 V. Check the driving transistor (open collector to GND), its base resistor, and that nothing else pulls PWRKEY up.' },
    { kind: 'bench', text: 'As a test, short PWRKEY to GND for ~1 s by hand: if VDD_EXT then comes up, the drive circuit is at fault.' },
  ],
  sources: ['quectel-ec25.md §4.9 (QFORUM/3086), §8.2, §8.5'],
  fault: true,
};

export const pwrkeyShortPulse: Cause = {
  id: 'pwrkey-short-pulse',
  title: 'The PWRKEY pulse is too short to power the module on',
  explanation: 'Current hardware designs ask for PWRKEY low ≥ 500 ms, after VBAT has been stable ≥ 30 ms; older designs and some drivers use 100–200 ms, which a current module may ignore.',
  confidence: 'high',
  prior: 0,
  evidence: [
    { key: 'pwrkey_pulse_ms', test: { below: levels.pwrkeyPulseMinMs }, weight: 5, why: 'the pulse is shorter than the ≥ 500 ms the HD asks (§4.2, §8.5)' },
    { key: 'pwrkey_pulse_ms', test: { atLeast: levels.pwrkeyPulseMinMs }, weight: -5, why: 'the pulse is long enough' },
    { key: 'vdd_ext', test: { below: levels.vddExtAbsentV }, weight: 1.5, why: 'VDD_EXT absent: the module did not start' },
    { key: 'vdd_ext', test: { atLeast: levels.vddExtStartedV }, weight: -4, why: 'VDD_EXT present: the module did start' },
    { key: 'usb', test: { is: onUsb }, weight: -5, why: 'the module is on USB, so it started' },
  ],
  next: [
    { kind: 'bench', text: 'Hold PWRKEY low ≥ 500 ms (600 ms gives margin) once VBAT has been stable ≥ 30 ms; then wait ≥ 2.5 s for STATUS and ~13 s for USB (§4.2).' },
  ],
  sources: ['quectel-ec25.md §4.2, §8.5 (DISAGREE: older HDs 100 ms)'],
  fault: true,
};

export const neverStarted: Cause = {
  id: 'never-started',
  title: 'The module never started (no VDD_EXT): check VBAT, PWRKEY levels and pulse length, RESET_N',
  explanation: 'VDD_EXT appears only after a successful PWRKEY start. Without it the module did not start at all: power, the PWRKEY press, or RESET_N held low; if all of them are right, the module itself is dead.',
  confidence: 'high',
  prior: -0.3,
  evidence: [
    { key: 'vdd_ext', test: { below: levels.vddExtAbsentV }, weight: 3.5, why: 'VDD_EXT is ~0 V: the module did not start (§8.7, QFORUM/33964)' },
    { key: 'vdd_ext', test: { atLeast: levels.vddExtStartedV }, weight: -6, why: 'VDD_EXT is present: the module did start' },
    { key: 'usb', test: { is: ['none'] }, weight: 1, why: 'nothing on USB' },
    { key: 'usb', test: { is: onUsb }, weight: -6, why: 'the module is on USB, so it started' },
    { key: 'vbat', test: { within: [levels.vbatMinV, levels.vbatMaxV + 0.01] }, weight: 1, why: 'VBAT is fine, so it is not a power problem' },
    { key: 'vbat', test: { below: levels.vbatPresentV }, weight: -3, why: 'no VBAT: that is the reason, see "no power"' },
    { key: 'status', test: { is: ['high'] }, weight: 0.5, why: 'STATUS high: not running (§8.3)' },
    { key: 'net_status', test: { is: ['off'] }, weight: 0.3, why: 'NET_STATUS dark' },
    { key: 'pwrkey_low', test: { atLeast: levels.pwrkeyLowMaxV }, weight: -2, why: 'the PWRKEY level explains it (see that cause)' },
    { key: 'pwrkey_pulse_ms', test: { below: levels.pwrkeyPulseMinMs }, weight: -2, why: 'the short pulse explains it (see that cause)' },
  ],
  next: [
    { kind: 'bench', text: 'Check VBAT at the pins (3.3–4.3 V), then PWRKEY: pulled near 0 V when pressed, for ≥ 500 ms, ≥ 30 ms after VBAT is stable (§4.2).' },
    { kind: 'bench', text: 'Check RESET_N is not held low. If VBAT and PWRKEY are right and VDD_EXT still stays at 0 V, the module itself is dead: replace it.' },
  ],
  sources: ['quectel-ec25.md §4.2, §5.2 step 4, §8.5, §8.7 (QFORUM/33964, QFORUM/3086)'],
  fault: true,
};
