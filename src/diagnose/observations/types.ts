// What diagnosis works from: observations, each a key of the vocabulary (vocabulary.ts) with a
// value, and where it came from. Numbers are ranges (a steady reading is a range of width 0), so
// a wandering current ("55-170 mA", QFORUM/6665) and a single reading use one representation.

/** Where an observation came from: typed by the user, read from a bench, seen by the host, or computed. */
export type Origin = 'user' | 'bench' | 'scan' | 'at' | 'derived';

export type Observed =
  | { readonly kind: 'number'; readonly min: number; readonly max: number }
  | { readonly kind: 'choice'; readonly value: string };

export interface Observation {
  readonly key: string;
  readonly value: Observed;
  readonly origin: Origin;
  /** The value as a person writes it: `1.8`, `55-170`, `9008`. */
  readonly text: string;
  /** Where exactly it was read, when that helps (the port, the meter, the AT command). */
  readonly note?: string;
}

/** One observation per key; later sources replace earlier ones only where the merge says so. */
export type Observations = ReadonlyMap<string, Observation>;

/** `key=value` as typed, before parsing. */
export interface RawObservation {
  readonly key: string;
  readonly value: string;
  readonly note?: string;
}

export function formatObserved(value: Observed): string {
  if (value.kind === 'choice') return value.value;
  return value.min === value.max ? trimNumber(value.min) : `${trimNumber(value.min)}-${trimNumber(value.max)}`;
}

function trimNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
}
