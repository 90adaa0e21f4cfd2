// Which measurement to ask for next (the wizard): the unknown observation whose possible answers
// move the causes still standing furthest apart. For each pair of standing causes, the spread of
// their score difference over the answers says how well the question tells them apart; pairs are
// weighted by how plausible both are now, and the sum is divided by the effort of measuring.
import { vocabulary, type Observations, type ObservationSpec } from '../observations/index.js';
import { answersOf, withAnswer } from './answers.js';
import { knowledgeBase, type Cause } from '../knowledge/index.js';
import { rankCauses, scores } from './rank.js';

export interface Question {
  readonly spec: ObservationSpec;
  /** How well the answers separate the standing causes, per unit of effort. */
  readonly value: number;
  /** The causes it would tell apart (ids), most plausible first. */
  readonly between: readonly string[];
}

export interface QuestionOptions {
  /** Keys already asked (answered or skipped). */
  readonly asked?: ReadonlySet<string>;
  readonly base?: readonly Cause[];
  /** Only ask what a person measures on the bench (default), or any unknown key. */
  readonly benchOnly?: boolean;
}

/** Below this a question would not change the picture enough to be worth a measurement. */
const minimumValue = 0.15;
const maxStanding = 6;
const minShare = 0.02;

export function nextQuestion(observations: Observations, options: QuestionOptions = {}): Question | undefined {
  const base = options.base ?? knowledgeBase;
  const diagnosis = rankCauses(observations, base);
  const standing = diagnosis.ranked.filter((entry) => entry.probability >= minShare).slice(0, maxStanding);
  if (standing.length < 2) return undefined;
  const total = standing.reduce((sum, entry) => sum + entry.probability, 0);
  const weights = standing.map((entry) => entry.probability / total);
  let best: Question | undefined;
  for (const spec of vocabulary) {
    if (observations.has(spec.key) || options.asked?.has(spec.key) === true) continue;
    if ((options.benchOnly ?? true) && spec.where !== 'bench') continue;
    const answers = answersOf(spec, observations);
    if (answers.length < 2) continue;
    const outcomes = answers.map((answer) => scores(withAnswer(observations, answer), base));
    let separation = 0;
    for (let i = 0; i < standing.length; i += 1) {
      for (let j = i + 1; j < standing.length; j += 1) {
        const a = standing[i]?.cause.id ?? '';
        const b = standing[j]?.cause.id ?? '';
        const differences = outcomes.map((outcome) => (outcome.get(a) ?? 0) - (outcome.get(b) ?? 0));
        separation += (weights[i] ?? 0) * (weights[j] ?? 0) * (Math.max(...differences) - Math.min(...differences));
      }
    }
    const value = separation / spec.effort;
    if (value > minimumValue && (best === undefined || value > best.value)) {
      best = { spec, value: Math.round(value * 1000) / 1000, between: standing.map((entry) => entry.cause.id) };
    }
  }
  return best;
}
