// Ranks the causes of the knowledge base against a set of observations. Each cause's score is its
// prior plus the weights of the evidence that holds (positive for, negative against); the scores
// become shares of belief through a softmax. A root cause that stands (a weak supply) is named
// before the damage it explains (a lost calibration), since fixing the damage first does not last.
import { describeTest, matches, specOf, type Observations } from '../observations/index.js';
import { knowledgeBase, type Cause } from '../knowledge/index.js';
import { answersOf, unknownBenchSpecs, withAnswer } from './answers.js';

export interface EvidenceHit {
  readonly key: string;
  /** The value as observed (`1.8`, `55-170`, `9008`). */
  readonly observed: string;
  readonly origin: string;
  /** The rule's test in words (`at least 1.5 V`). */
  readonly test: string;
  readonly weight: number;
  readonly why: string;
}

export interface RankedCause {
  readonly cause: Cause;
  readonly score: number;
  /** Share of belief among all causes, 0..1. */
  readonly probability: number;
  readonly for: readonly EvidenceHit[];
  readonly against: readonly EvidenceHit[];
  /** A cause ranked above this one that probably brought it about. */
  readonly causedBy?: string;
}

export interface Diagnosis {
  readonly ranked: readonly RankedCause[];
  /**
   * The first cause is clearly ahead of every independent alternative, and no single bench
   * measurement still missing could put another one ahead (a 9008 unit is not "clearly" a corrupt
   * boot chain until USB_BOOT has been seen low, §4.8).
   */
  readonly clear: boolean;
  /** A missing measurement that could still change the first cause, when there is one. */
  readonly couldChange?: string;
  /** Score lead of the first cause over the best independent alternative. */
  readonly margin: number;
}

/** A score this high means the cause stands on its own evidence (e^4 ≈ 55 : 1 over a blank). */
const standsScore = 4;
/** Lead needed to call the first cause clear (e^3 ≈ 20 : 1). */
const clearMargin = 3;

export function scoreCause(cause: Cause, observations: Observations): { score: number; for: EvidenceHit[]; against: EvidenceHit[] } {
  let score = cause.prior;
  const hitsFor: EvidenceHit[] = [];
  const hitsAgainst: EvidenceHit[] = [];
  for (const evidence of cause.evidence) {
    const observation = observations.get(evidence.key);
    if (observation === undefined || !matches(evidence.test, observation.value)) continue;
    score += evidence.weight;
    const spec = specOf(evidence.key);
    const hit: EvidenceHit = {
      key: evidence.key,
      observed: observation.text,
      origin: observation.origin,
      test: describeTest(evidence.test, spec?.kind === 'number' ? spec.unit : ''),
      weight: evidence.weight,
      why: evidence.why,
    };
    (evidence.weight >= 0 ? hitsFor : hitsAgainst).push(hit);
  }
  return { score: Math.round(score * 100) / 100, for: hitsFor, against: hitsAgainst };
}

export function scores(observations: Observations, base: readonly Cause[] = knowledgeBase): Map<string, number> {
  return new Map(base.map((cause) => [cause.id, scoreCause(cause, observations).score]));
}

export function softmax(values: readonly number[]): number[] {
  const top = Math.max(...values);
  const exps = values.map((value) => Math.exp(value - top));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / sum);
}

export function rankCauses(observations: Observations, base: readonly Cause[] = knowledgeBase): Diagnosis {
  const scored = base.map((cause, index) => ({ cause, index, ...scoreCause(cause, observations) }));
  const probabilities = softmax(scored.map((entry) => entry.score));
  let ranked: RankedCause[] = scored
    .map((entry, i) => ({ entry, probability: probabilities[i] ?? 0 }))
    .sort((a, b) => b.entry.score - a.entry.score || b.entry.cause.prior - a.entry.cause.prior || a.entry.index - b.entry.index)
    .map(({ entry, probability }) => ({ cause: entry.cause, score: entry.score, probability, for: entry.for, against: entry.against }));
  ranked = rootsFirst(ranked);
  const top = ranked[0];
  if (top === undefined) return { ranked, clear: false, margin: 0 };
  const related = new Set([top.cause.id, ...(top.cause.rootOf ?? []), ...(top.causedBy === undefined ? [] : [top.causedBy])]);
  const rival = ranked.find((entry) => !related.has(entry.cause.id) && !(entry.cause.rootOf ?? []).includes(top.cause.id));
  const margin = rival === undefined ? Infinity : top.score - rival.score;
  const ahead = top.score >= 2 && margin >= clearMargin;
  const couldChange = ahead ? overturnedBy(observations, base, { top: top.cause.id, related }) : undefined;
  return { ranked, clear: ahead && couldChange === undefined, margin: Math.round(margin * 100) / 100, ...(couldChange === undefined ? {} : { couldChange }) };
}

/** The first unknown bench measurement with an answer that would put an unrelated cause ahead. */
function overturnedBy(observations: Observations, base: readonly Cause[], leader: { top: string; related: ReadonlySet<string> }): string | undefined {
  for (const spec of unknownBenchSpecs(observations)) {
    for (const answer of answersOf(spec, observations)) {
      const after = scores(withAnswer(observations, answer), base);
      const topScore = after.get(leader.top) ?? 0;
      for (const [id, score] of after) {
        if (!leader.related.has(id) && score > topScore) return spec.key;
      }
    }
  }
  return undefined;
}

/** Moves each standing root cause before the highest of the consequences it explains. */
function rootsFirst(ranked: RankedCause[]): RankedCause[] {
  const result = [...ranked];
  for (const root of ranked) {
    const consequences = root.cause.rootOf ?? [];
    if (consequences.length === 0 || root.score < standsScore) continue;
    const rootAt = result.findIndex((entry) => entry.cause.id === root.cause.id);
    const firstConsequence = result.findIndex((entry) => consequences.includes(entry.cause.id) && entry.score >= standsScore);
    if (firstConsequence === -1) continue;
    for (let i = 0; i < result.length; i += 1) {
      const entry = result[i];
      if (entry !== undefined && consequences.includes(entry.cause.id) && entry.score >= standsScore) result[i] = { ...entry, causedBy: root.cause.id };
    }
    if (firstConsequence > rootAt) continue;
    const [moved] = result.splice(rootAt, 1);
    if (moved !== undefined) result.splice(firstConsequence, 0, moved);
  }
  return result;
}
