// The wizard's loop, one place for every way of answering it (a person at a prompt, the demo's
// technician reading the simulated module, bench/diagnose's generated units): rank, stop when the
// first cause is clear, else ask the measurement that best separates what is still standing.
import { collectObservations, type Observation, type Observations } from '../observations/index.js';
import { nextQuestion, type Question } from './next-question.js';
import { rankCauses, type Diagnosis } from './rank.js';

/** An answer: a reading, `skip` (cannot measure it; not asked again) or `stop` (no more questions). */
export type InterviewAnswer = Observation | 'skip' | 'stop';

export interface InterviewResult {
  readonly answers: readonly Observation[];
  /** Questions asked (answered or skipped). */
  readonly asked: number;
  readonly observations: Observations;
  readonly diagnosis: Diagnosis;
  /** Why it ended: the first cause is clear, no question would help, the answerer stopped, or the limit. */
  readonly ended: 'clear' | 'no-question' | 'stopped' | 'limit';
}

export async function interview(
  known: readonly Observation[],
  ask: (question: Question, answers: readonly Observation[]) => InterviewAnswer | Promise<InterviewAnswer>,
  maxQuestions: number,
): Promise<InterviewResult> {
  const answers: Observation[] = [];
  const asked = new Set<string>();
  for (;;) {
    const { observations } = collectObservations([...known, ...answers]);
    const diagnosis = rankCauses(observations);
    const result = (ended: InterviewResult['ended']): InterviewResult => ({ answers, asked: asked.size, observations, diagnosis, ended });
    if (asked.size >= maxQuestions) return result('limit');
    if (diagnosis.clear) return result('clear');
    const question = nextQuestion(observations, { asked });
    if (question === undefined) return result('no-question');
    const answer = await ask(question, answers);
    asked.add(question.spec.key);
    if (answer === 'stop') return result('stopped');
    if (answer !== 'skip') answers.push(answer);
  }
}
