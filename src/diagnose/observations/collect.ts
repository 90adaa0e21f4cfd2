// One set of observations from several sources: what a person typed wins over a bench reading,
// which wins over what medic read itself; then what follows from them is computed, and the set is
// checked for contradictions.
import { checkContradictions, type ContradictionNote } from './contradictions.js';
import type { Observation, Observations, Origin } from './types.js';

const precedence: Record<Origin, number> = { user: 4, bench: 3, at: 2, scan: 2, derived: 1 };

export interface CollectedObservations {
  readonly observations: Observations;
  /** Contradictions between automatic readings, and readings a typed value replaced. */
  readonly notes: readonly string[];
}

export function mergeObservations(list: readonly Observation[]): { merged: Map<string, Observation>; notes: string[] } {
  const merged = new Map<string, Observation>();
  const notes: string[] = [];
  for (const observation of list) {
    const before = merged.get(observation.key);
    if (before === undefined || precedence[observation.origin] >= precedence[before.origin]) {
      if (before !== undefined && before.text !== observation.text && observation.origin === 'user') {
        notes.push(`${observation.key}: using your ${observation.text} instead of ${before.text} (${before.origin})`);
      }
      merged.set(observation.key, observation);
    }
  }
  return { merged, notes };
}

/**
 * The resistance of the supply path, from the supply's own voltage, VBAT at the pins and the
 * current: what decides how far VBAT dips in a transmit burst (≤ 400 mV allowed at ~2 A, §8.1).
 * Only with a real load (≥ 20 mA); a range when the readings are ranges.
 */
export function deriveSourceOhms(observations: ReadonlyMap<string, Observation>): Observation | undefined {
  const supply = observations.get('supply_v')?.value;
  const vbat = observations.get('vbat')?.value;
  const current = observations.get('current_ma')?.value;
  if (supply?.kind !== 'number' || vbat?.kind !== 'number' || current?.kind !== 'number') return undefined;
  if (current.min < 20 || vbat.max < 2.5) return undefined;
  // Each voltage reading carries a few mV of meter error (±5 mV assumed, a 3½-digit meter on its
  // 20 V range): at 40 mA that alone is ±0.25 Ω, so the range keeps it rather than guess.
  const sagMin = Math.max(0, supply.min - vbat.max - 2 * meterErrorV);
  const sagMax = Math.max(0, supply.max - vbat.min + 2 * meterErrorV);
  const min = round(sagMin / (current.max / 1000));
  const max = round(sagMax / (current.min / 1000));
  return {
    key: 'source_ohms',
    value: { kind: 'number', min, max },
    origin: 'derived',
    text: min === max ? String(min) : `${String(min)}-${String(max)}`,
    note: 'from (supply − VBAT) / current',
  };
}

const meterErrorV = 0.005;

/**
 * The drop from the supply's terminals to the module's VBAT pins, for when there is no current
 * reading to compute the resistance from (with one, source_ohms says the same thing better, and
 * counting both would count one fact twice): at rest the module draws well under 0.2 A (§8.2), so
 * 100 mV lost on the way already means a path of ≥ 0.5 Ω, where a 2 A burst must lose at most
 * 400 mV (§8.1).
 */
export function deriveSupplyDrop(observations: ReadonlyMap<string, Observation>): Observation | undefined {
  if (observations.has('source_ohms')) return undefined;
  const supply = observations.get('supply_v')?.value;
  const vbat = observations.get('vbat')?.value;
  if (supply?.kind !== 'number' || vbat?.kind !== 'number' || vbat.max < 2.5) return undefined;
  const min = round(Math.max(0, supply.min - vbat.max - 2 * meterErrorV));
  const max = round(Math.max(0, supply.max - vbat.min + 2 * meterErrorV));
  return { key: 'supply_drop_v', value: { kind: 'number', min, max }, origin: 'derived', text: min === max ? String(min) : `${String(min)}-${String(max)}`, note: 'supply − VBAT at the pins' };
}

const derivations = [deriveSourceOhms, deriveSupplyDrop] as const;

/** Recomputes what follows from the readings, keeping any value a person typed for it. */
export function withDerived(observations: Map<string, Observation>): Map<string, Observation> {
  for (const derive of derivations) {
    const derived = derive(observations);
    if (derived === undefined) continue;
    if (observations.get(derived.key)?.origin === 'user') continue;
    observations.set(derived.key, derived);
  }
  return observations;
}

/** The keys medic computes (a person may still type them). */
export const DERIVED_KEYS = ['source_ohms', 'supply_drop_v'] as const;

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Merges, adds what follows, checks: throws a UsageError on a contradiction in typed values. */
export function collectObservations(list: readonly Observation[]): CollectedObservations {
  const { merged, notes } = mergeObservations(list);
  withDerived(merged);
  const contradictionNotes: ContradictionNote[] = checkContradictions(merged);
  return { observations: merged, notes: [...notes, ...contradictionNotes.map((note) => note.message)] };
}
