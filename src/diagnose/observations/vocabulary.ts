// The observation vocabulary (issue #4 §2) as data: every key a technician can give with
// `--observe key=value`, or the wizard can ask, or medic reads by itself (scan, AT health).
// Figures come from quectel-ec25.md: VBAT §8.1, VDD_EXT §8.7, PWRKEY §8.5, currents §8.2,
// NET_STATUS §4.6/§8.4, STATUS §8.3, USB identities §1.1.
import type { Observations } from './types.js';

/** bench: measured by a person on the bench (the wizard may ask it); host: read by medic itself. */
export type Where = 'bench' | 'host';

/** How much work a measurement is: 1 look at it, 2 a multimeter, 3 a scope or a probe on a pad. */
export type Effort = 1 | 2 | 3;

interface SpecBase {
  readonly key: string;
  /** Plain words, for the output and the wizard. */
  readonly label: string;
  readonly where: Where;
  readonly effort: Effort;
  /** The wizard's question. */
  readonly question: string;
  /** How to measure it, shown on "?" in the wizard. */
  readonly how: string;
}

export interface NumberSpec extends SpecBase {
  readonly kind: 'number';
  readonly unit: 'V' | 'mA' | 'ms' | 'Ω';
  /** Outside this a reading is physically impossible on this module (or a typo). */
  readonly plausible: { readonly min: number; readonly max: number; readonly why: string };
  /** A range such as 55-170 is allowed (a wandering reading). */
  readonly ranges: boolean;
  /**
   * Answers the wizard weighs when choosing its next question: one per region the rules tell
   * apart. A function when the useful answers depend on what is known already.
   */
  readonly probes: readonly string[] | ((known: Observations) => readonly string[]);
}

export interface ChoiceSpec extends SpecBase {
  readonly kind: 'choice';
  readonly values: readonly string[];
  /** Other spellings people use: `on` → `high`, `9008` → `9008`, `qdloader` → `9008`. */
  readonly aliases?: Readonly<Record<string, string>>;
  /**
   * A logic pin may also be given in volts: below `lowBelow` is low, above `highAbove` is high
   * (1.8 V domain; the thresholds are ordinary CMOS margins, UNVERIFIED for this module).
   */
  readonly volts?: { readonly lowBelow: number; readonly highAbove: number; readonly max: number };
}

export type ObservationSpec = NumberSpec | ChoiceSpec;

const yesNo = { aliases: { true: 'yes', false: 'no', y: 'yes', n: 'no', '1': 'yes', '0': 'no' } } as const;

export const vocabulary: readonly ObservationSpec[] = [
  {
    key: 'usb',
    kind: 'choice',
    label: 'what the host sees on USB',
    where: 'bench',
    effort: 1,
    values: ['none', 'normal', '9008', 'fastboot', 'other'],
    aliases: { '2c7c:0125': 'normal', '05c6:9008': '9008', qdloader: '9008', edl: '9008', '18d1:d00d': 'fastboot', nothing: 'none', no: 'none' },
    question: 'What does the host show on USB (`lsusb`): none, normal (2c7c:0125), 9008 (QDLoader), fastboot?',
    how: 'Run `lsusb` (or `medic scan`) on the host the module is plugged into: 2c7c:0125 is a normal boot, 05c6:9008 "QDLoader 9008" is emergency download, 18d1:d00d fastboot.',
  },
  {
    key: 'vbat',
    kind: 'number',
    unit: 'V',
    label: 'VBAT at the module pins',
    where: 'bench',
    effort: 2,
    ranges: true,
    plausible: { min: 0, max: 6, why: 'VBAT is 3.3–4.3 V on this module (§8.1); a bench supply for it is never set above ~5 V' },
    probes: ['0', '2.9', '3.4', '3.8', '4.6'],
    question: 'VBAT measured at the module (pins 57–60 to GND), in volts?',
    how: 'Multimeter on DC volts, black probe on GND, red probe on the VBAT pins (57–60 on the LGA) or the closest capacitor — at the module, not at the supply.',
  },
  {
    key: 'supply_v',
    kind: 'number',
    unit: 'V',
    label: 'bench supply voltage (its own display)',
    where: 'bench',
    effort: 1,
    ranges: false,
    plausible: { min: 0, max: 30, why: 'a bench supply for this module is set near 3.8 V' },
    probes: (known) => {
      const vbat = known.get('vbat')?.value;
      if (vbat?.kind !== 'number') return ['3.8'];
      return [vbat.max + 0.005, vbat.max + 0.12, vbat.max + 0.6].map((v) => v.toFixed(3));
    },
    question: 'What voltage does the bench supply itself show (or is set to), in volts?',
    how: 'Read the supply\'s display (or measure at its terminals). With VBAT at the pins and the current this gives the resistance of the supply path.',
  },
  {
    key: 'current_ma',
    kind: 'number',
    unit: 'mA',
    label: 'current drawn from VBAT',
    where: 'bench',
    effort: 2,
    ranges: true,
    plausible: { min: 0, max: 3000, why: 'the module peaks at ~2 A in a GSM burst (§8.1); more means a short, not the module' },
    probes: ['0', '42', '55-170', '60', '110', '700'],
    question: 'Current drawn from VBAT in mA (a range such as 55-170 if it wanders)?',
    how: 'The bench supply\'s current display, or a multimeter in series with VBAT. Watch it for ~10 s: if it wanders, give the lowest and highest, e.g. 55-170.',
  },
  {
    key: 'status',
    kind: 'choice',
    label: 'STATUS pin (61)',
    where: 'bench',
    effort: 2,
    values: ['high', 'low', 'toggling'],
    aliases: { on: 'high', off: 'low', toggles: 'toggling', blinking: 'toggling' },
    volts: { lowBelow: 0.5, highAbove: 1.2, max: 5.5 },
    question: 'STATUS (pin 61): high, low or toggling? (EC25 pulls it low while running, §8.3)',
    how: 'Meter or scope on pin 61 (open drain, pulled up on the board). On EC25/EG25-G low means running, high means off or not started (§8.3). Watch it ~30 s: if it keeps changing, answer toggling.',
  },
  {
    key: 'net_status',
    kind: 'choice',
    label: 'NET_STATUS pin (6) / LED',
    where: 'bench',
    effort: 1,
    values: ['off', 'on', 'slow-blink', 'fast-blink'],
    aliases: { dark: 'off', low: 'off', high: 'on', steady: 'on', blink: 'slow-blink', slow: 'slow-blink', fast: 'fast-blink' },
    question: 'NET_STATUS (pin 6 or its LED): off, on, slow-blink or fast-blink?',
    how: 'Look at the LED (or a scope on pin 6): slow blink 200/1800 ms = searching, 1800/200 ms = registered, fast 125/125 ms = data, off = not started or radio off (§4.6). Mini PCIe cards invert the level (§8.4).',
  },
  {
    key: 'vdd_ext',
    kind: 'number',
    unit: 'V',
    label: 'VDD_EXT (pin 7)',
    where: 'bench',
    effort: 2,
    ranges: false,
    plausible: { min: 0, max: 2.2, why: 'VDD_EXT is the module\'s own 1.8 V output (§8.7): 0 V when it has not started, ~1.7–1.9 V when it has' },
    probes: ['0', '1.8'],
    question: 'VDD_EXT (pin 7) to GND, in volts?',
    how: 'Multimeter on pin 7 (or the 1.8 V pull-up rail fed from it). 1.8 V means the module started (also in 9008); ~0 V means it never started (§8.7).',
  },
  {
    key: 'usb_boot',
    kind: 'choice',
    label: 'USB_BOOT (pin 115)',
    where: 'bench',
    effort: 3,
    values: ['high', 'low'],
    aliases: { on: 'high', off: 'low', floating: 'low', open: 'low' },
    volts: { lowBelow: 0.5, highAbove: 1.2, max: 2.2 },
    question: 'USB_BOOT (pin 115): high (tied to VDD_EXT) or low/floating?',
    how: 'Meter on pin 115 while the module is powered: ~1.8 V means something ties it to VDD_EXT (forces 9008 at every start, §4.8); ~0 V or floating is a normal boot.',
  },
  {
    key: 'pwrkey_low',
    kind: 'number',
    unit: 'V',
    label: 'PWRKEY while pressed',
    where: 'bench',
    effort: 3,
    ranges: false,
    plausible: { min: 0, max: 5, why: 'PWRKEY is a low-voltage input pulled up inside the module' },
    probes: ['0.1', '0.8'],
    question: 'PWRKEY (pin 21) while the power-on pulse is applied, in volts?',
    how: 'Scope (or a meter while holding the button) on PWRKEY during the power-on press: it must be pulled close to 0 V. QFORUM/3086 measured 0.8 V on a board that never started.',
  },
  {
    key: 'pwrkey_high',
    kind: 'number',
    unit: 'V',
    label: 'PWRKEY released',
    where: 'bench',
    effort: 3,
    ranges: false,
    plausible: { min: 0, max: 5, why: 'PWRKEY is a low-voltage input pulled up inside the module' },
    probes: ['0.2', '1.8'],
    question: 'PWRKEY (pin 21) when released, in volts?',
    how: 'Meter on PWRKEY with nothing pressing it: it sits at the module\'s internal pull-up level.',
  },
  {
    key: 'pwrkey_pulse_ms',
    kind: 'number',
    unit: 'ms',
    label: 'PWRKEY power-on pulse length',
    where: 'bench',
    effort: 3,
    ranges: false,
    plausible: { min: 0, max: 60000, why: 'a power-on pulse lasts a fraction of a second to a few seconds' },
    probes: ['200', '600'],
    question: 'How long is PWRKEY held low at power-on, in ms?',
    how: 'Scope on PWRKEY: the width of the low pulse. Current hardware designs ask ≥ 500 ms (§4.2, §8.5); older ones 100 ms.',
  },
  // Read by medic itself (scan and the AT health report); they can be given by hand too.
  { key: 'at_answers', kind: 'choice', label: 'the AT port answers', where: 'host', effort: 1, values: ['yes', 'no'], ...yesNo, question: 'Does the AT port answer `AT` with OK?', how: '`medic at --port <AT port> AT`' },
  {
    key: 'cfun',
    kind: 'choice',
    label: 'AT+CFUN? function level',
    where: 'host',
    effort: 1,
    values: ['0', '1', '4', '5', '7', 'other'],
    question: 'What does AT+CFUN? answer (the number after +CFUN:)?',
    how: '`medic at --port <AT port> AT+CFUN?` (§3.3).',
  },
  { key: 'sim', kind: 'choice', label: 'SIM card', where: 'host', effort: 1, values: ['ready', 'missing', 'locked'], aliases: { 'not-inserted': 'missing', absent: 'missing', pin: 'locked', puk: 'locked' }, question: 'AT+CPIN?: ready, missing or locked?', how: '`medic info --port <AT port>` (§3.4).' },
  {
    key: 'registration',
    kind: 'choice',
    label: 'network registration',
    where: 'host',
    effort: 1,
    values: ['registered', 'searching', 'denied', 'not-registered'],
    aliases: { home: 'registered', roaming: 'registered' },
    question: 'Network registration: registered, searching, denied or not-registered?',
    how: '`medic info --port <AT port>` (AT+CEREG?, §3.5).',
  },
  { key: 'signal', kind: 'choice', label: 'radio signal', where: 'host', effort: 1, values: ['good', 'fair', 'poor', 'none'], aliases: { excellent: 'good', 'no-signal': 'none' }, question: 'Signal: good, fair, poor or none?', how: '`medic info --port <AT port>` (AT+QENG/AT+CSQ, §3.5).' },
  { key: 'port_holder', kind: 'choice', label: 'a program holding the module\'s ports', where: 'host', effort: 1, values: ['none', 'modemmanager', 'other'], aliases: { mm: 'modemmanager' }, question: 'Does another program hold the ports?', how: '`medic scan` lists who holds them (§1.4).' },
  { key: 'autosuspend', kind: 'choice', label: 'USB autosuspend', where: 'host', effort: 1, values: ['on', 'off'], aliases: { auto: 'on' }, question: 'Is USB autosuspend on for the module?', how: '`medic scan` (power/control = auto).' },
  { key: 'risky_settings', kind: 'choice', label: 'risky persistent AT+QCFG settings', where: 'host', effort: 1, values: ['yes', 'no'], ...yesNo, question: 'Does `medic info` flag risky settings?', how: '`medic info --port <AT port>` (§3.9).' },
  { key: 'composition', kind: 'choice', label: 'USB composition', where: 'host', effort: 1, values: ['standard', 'changed'], question: 'Is the USB composition standard (DM, NMEA, AT, modem)?', how: '`medic scan` (§1.2).' },
  {
    key: 'source_ohms',
    kind: 'number',
    unit: 'Ω',
    label: 'resistance of the supply path (computed)',
    where: 'host',
    effort: 1,
    ranges: true,
    plausible: { min: 0, max: 1000, why: 'it is computed from the supply voltage, VBAT at the pins and the current' },
    probes: ['0.05', '1'],
    question: 'Resistance of the supply path in ohms?',
    how: 'Computed: (supply voltage − VBAT at the pins) / current.',
  },
  {
    key: 'supply_drop_v',
    kind: 'number',
    unit: 'V',
    label: 'drop from the supply to the VBAT pins (computed)',
    where: 'host',
    effort: 1,
    ranges: true,
    plausible: { min: 0, max: 5, why: 'it is computed from the supply voltage and VBAT at the pins' },
    probes: ['0.01', '0.2'],
    question: 'Drop from the supply to the VBAT pins, in volts?',
    how: 'Computed: supply voltage − VBAT at the pins.',
  },
];

const byKey = new Map(vocabulary.map((spec) => [spec.key, spec]));

export function specOf(key: string): ObservationSpec | undefined {
  return byKey.get(key);
}

export const observationKeys: readonly string[] = vocabulary.map((spec) => spec.key);
