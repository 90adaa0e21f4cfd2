// The answers an unknown observation could get (one per region the rules tell apart), and the
// observations as they would be with one of them.
import { DERIVED_KEYS, parseObservation, vocabulary, withDerived, type Observation, type Observations, type ObservationSpec } from '../observations/index.js';

export function answersOf(spec: ObservationSpec, observations: Observations): Observation[] {
  const texts = spec.kind === 'choice' ? spec.values : typeof spec.probes === 'function' ? spec.probes(observations) : spec.probes;
  return texts.map((text) => parseObservation({ key: spec.key, value: text }, 'user'));
}

/** The observations as they would be with `answer`, including what follows from it. */
export function withAnswer(observations: Observations, answer: Observation): Map<string, Observation> {
  const next = new Map(observations);
  next.set(answer.key, answer);
  for (const key of DERIVED_KEYS) if (next.get(key)?.origin !== 'user') next.delete(key);
  return withDerived(next);
}

/** Bench measurements nobody has given yet. */
export function unknownBenchSpecs(observations: Observations): ObservationSpec[] {
  return vocabulary.filter((spec) => spec.where === 'bench' && !observations.has(spec.key));
}
