export type { Observation, Observations, Observed, Origin, RawObservation } from './types.js';
export { formatObserved } from './types.js';
export { vocabulary, specOf, observationKeys, type ObservationSpec, type NumberSpec, type ChoiceSpec, type Effort, type Where } from './vocabulary.js';
export { parseObservation, parseObservations, splitObservation, normalizeKey } from './parse.js';
export { matches, describeTest, type Test } from './match.js';
export { checkContradictions, contradictions, type ContradictionNote } from './contradictions.js';
export { collectObservations, mergeObservations, withDerived, DERIVED_KEYS, type CollectedObservations } from './collect.js';
export { nearest, editDistance } from './nearest.js';
