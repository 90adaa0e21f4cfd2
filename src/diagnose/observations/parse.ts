// `key=value` → an observation, or a UsageError that says what was wrong and what would be right:
// an unknown key (with the nearest known one), a value that is not a number or not one of the
// choices, a reading that is physically impossible (with the plausible range), a malformed range.
import { UsageError } from '../../core/errors.js';
import { nearest } from './nearest.js';
import type { Observation, Observed, Origin, RawObservation } from './types.js';
import { observationKeys, specOf, type ChoiceSpec, type NumberSpec } from './vocabulary.js';

/** Splits `vdd_ext=1.8` (also `vdd_ext = 1.8 V`, `VDD-EXT:1.8`). */
export function splitObservation(text: string): RawObservation {
  const match = /^\s*([A-Za-z][\w-]*)\s*[=:]\s*(.*?)\s*$/.exec(text);
  if (match?.[1] === undefined || match[2] === undefined || match[2] === '') {
    throw new UsageError(`"${text}" is not an observation`, {
      hint: 'Write each as key=value, e.g. --observe vdd_ext=1.8 --observe current_ma=55-170.',
      details: { reason: 'syntax', text },
    });
  }
  return { key: match[1], value: match[2] };
}

export function normalizeKey(key: string): string {
  return key.trim().toLowerCase().replace(/-/g, '_');
}

export function parseObservation(raw: RawObservation, origin: Origin): Observation {
  const key = normalizeKey(raw.key);
  const spec = specOf(key);
  if (spec === undefined) {
    const guess = nearest(key, observationKeys);
    throw new UsageError(`unknown observation "${raw.key}"`, {
      hint: `${guess === undefined ? '' : `Did you mean ${guess}? `}Known observations: ${observationKeys.join(', ')}.`,
      details: { reason: 'unknown-key', key: raw.key, ...(guess === undefined ? {} : { suggestion: guess }) },
    });
  }
  const value = spec.kind === 'number' ? parseNumberValue(spec, raw.value) : parseChoiceValue(spec, raw.value);
  const text = value.kind === 'choice' ? value.value : raw.value.trim();
  return { key, value, origin, text, ...(raw.note === undefined ? {} : { note: raw.note }) };
}

/** Readings from one source (a scan, the AT health report, a bench meter), all parsed alike. */
export function parseObservations(raw: readonly RawObservation[], origin: Origin): Observation[] {
  return raw.map((item) => parseObservation(item, origin));
}

const unitScale: Record<NumberSpec['unit'], Readonly<Record<string, number>>> = {
  V: { '': 1, v: 1, mv: 0.001 },
  mA: { '': 1, ma: 1, a: 1000 },
  ms: { '': 1, ms: 1, s: 1000 },
  Ω: { '': 1, 'Ω': 1, ohm: 1, ohms: 1 },
};

function parseNumberValue(spec: NumberSpec, text: string): Observed {
  const trimmed = text.trim();
  const parts = spec.ranges ? splitRange(spec, trimmed) : [trimmed];
  const numbers = parts.map((part) => parseQuantity(spec, part, trimmed));
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  if (numbers.length === 2 && numbers[0] !== min) {
    throw new UsageError(`${spec.key}=${trimmed}: a range is written lowest first`, {
      hint: `Write ${spec.key}=${String(min)}-${String(max)}.`,
      details: { reason: 'malformed-range', key: spec.key, value: trimmed },
    });
  }
  for (const value of [min, max]) {
    if (value < spec.plausible.min || value > spec.plausible.max) {
      throw new UsageError(`${spec.key}=${trimmed} is not possible: ${spec.plausible.why}`, {
        hint: `A ${spec.label} reading lies between ${String(spec.plausible.min)} and ${String(spec.plausible.max)} ${spec.unit}. Check the probe, the pin and the meter's range, and measure again.`,
        details: { reason: 'impossible', key: spec.key, value: trimmed, plausible: [spec.plausible.min, spec.plausible.max] },
      });
    }
  }
  return { kind: 'number', min, max };
}

/** `55-170` or `55..170`; a leading minus is a (negative, so impossible) number, not a range. */
function splitRange(spec: NumberSpec, text: string): string[] {
  const parts = text.split(/\s*(?:\.\.|–|(?<=[\d\sA-Za-zΩ])-)\s*/);
  if (parts.length > 2 || parts.some((part) => part === '')) {
    throw new UsageError(`${spec.key}=${text} is not a value or a range`, {
      hint: `Give one reading (${spec.key}=60) or the lowest and highest seen (${spec.key}=55-170).`,
      details: { reason: 'malformed-range', key: spec.key, value: text },
    });
  }
  return parts;
}

function parseQuantity(spec: NumberSpec, part: string, whole: string): number {
  const match = /^(-?\d+(?:\.\d+)?|-?\.\d+)\s*([A-Za-zΩ]*)$/.exec(part.trim());
  const scale = match?.[2] === undefined ? undefined : unitScale[spec.unit][match[2].toLowerCase()];
  if (match?.[1] === undefined || scale === undefined) {
    throw new UsageError(`${spec.key}=${whole} is not a number of ${spec.unit}`, {
      hint: `Give ${spec.label} in ${spec.unit}, e.g. ${spec.key}=${exampleOf(spec)}.`,
      details: { reason: spec.ranges && /-|\.\./.test(whole) ? 'malformed-range' : 'not-a-number', key: spec.key, value: whole },
    });
  }
  // toPrecision: 3800 mV × 0.001 is 3.8, not 3.8000000000000003.
  return Number((Number(match[1]) * scale).toPrecision(12));
}

function exampleOf(spec: NumberSpec): string {
  return { V: '1.8', mA: spec.ranges ? '42 or 55-170' : '42', ms: '600', Ω: '0.05' }[spec.unit];
}

function parseChoiceValue(spec: ChoiceSpec, text: string): Observed {
  const word = text.trim().toLowerCase().replace(/_/g, '-').replace(/\s+/g, '-');
  const value = spec.values.includes(word) ? word : spec.aliases?.[word];
  if (value !== undefined) return { kind: 'choice', value };
  if (spec.volts !== undefined) {
    const volts = /^(\d+(?:\.\d+)?)\s*v?$/i.exec(word)?.[1];
    if (volts !== undefined) return levelFromVolts(spec, spec.volts, Number(volts));
  }
  const guess = nearest(word, [...spec.values, ...Object.keys(spec.aliases ?? {})]);
  throw new UsageError(`${spec.key}=${text.trim()} is not one of ${spec.values.join(', ')}`, {
    hint: `${guess === undefined ? '' : `Did you mean ${spec.key}=${spec.aliases?.[guess] ?? guess}? `}${spec.how}`,
    details: { reason: 'unknown-value', key: spec.key, value: text.trim(), choices: spec.values },
  });
}

function levelFromVolts(spec: ChoiceSpec, volts: NonNullable<ChoiceSpec['volts']>, value: number): Observed {
  if (value > volts.max) {
    throw new UsageError(`${spec.key}=${String(value)} V is not possible on a 1.8 V logic pin`, {
      hint: `${spec.label} reads between 0 and ~1.9 V. Check the probe is on the right pin.`,
      details: { reason: 'impossible', key: spec.key, value, plausible: [0, volts.max] },
    });
  }
  if (value < volts.lowBelow) return { kind: 'choice', value: 'low' };
  if (value > volts.highAbove) return { kind: 'choice', value: 'high' };
  throw new UsageError(`${spec.key}=${String(value)} V is between a clear low and a clear high`, {
    hint: `Below ${String(volts.lowBelow)} V is low, above ${String(volts.highAbove)} V is high: a level in between points at a weak pull-up or a fight between two drivers — check the pin's circuit, then answer high or low.`,
    details: { reason: 'ambiguous-level', key: spec.key, value },
  });
}
