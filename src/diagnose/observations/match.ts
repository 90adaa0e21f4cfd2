// Tests over one observation, shared by the contradiction table and the rules. A number is a range
// (min..max): `below` holds when all of it is below, `atLeast` when all of it is at or above,
// `within` when all of it lies inside, `spreadAtLeast` when it wanders at least that much.
import type { Observed } from './types.js';

export type Test =
  | { readonly is: readonly string[] }
  | { readonly below: number }
  | { readonly atLeast: number }
  | { readonly within: readonly [number, number] }
  | { readonly spreadAtLeast: number; readonly inside?: readonly [number, number] };

export function matches(test: Test, value: Observed): boolean {
  if ('is' in test) return value.kind === 'choice' && test.is.includes(value.value);
  if (value.kind !== 'number') return false;
  if ('below' in test) return value.max < test.below;
  if ('atLeast' in test) return value.min >= test.atLeast;
  if ('within' in test) return value.min >= test.within[0] && value.max < test.within[1];
  const inside = test.inside === undefined || (value.min >= test.inside[0] && value.max <= test.inside[1]);
  return inside && value.max - value.min >= test.spreadAtLeast;
}

/** Plain words for a test, for "evidence for/against" lines. */
export function describeTest(test: Test, unit = ''): string {
  const u = unit === '' ? '' : ` ${unit}`;
  if ('is' in test) return test.is.length === 1 ? `is ${test.is[0] ?? ''}` : `is ${test.is.join(' or ')}`;
  if ('below' in test) return `below ${String(test.below)}${u}`;
  if ('atLeast' in test) return `at least ${String(test.atLeast)}${u}`;
  if ('within' in test) return `${String(test.within[0])}–${String(test.within[1])}${u}`;
  return `wanders by ≥ ${String(test.spreadAtLeast)}${u}${test.inside === undefined ? '' : ` within ${String(test.inside[0])}–${String(test.inside[1])}${u}`}`;
}
