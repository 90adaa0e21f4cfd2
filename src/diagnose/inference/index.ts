export { rankCauses, scoreCause, scores, softmax, type Diagnosis, type EvidenceHit, type RankedCause } from './rank.js';
export { nextQuestion, type Question, type QuestionOptions } from './next-question.js';
export { answersOf, withAnswer, unknownBenchSpecs } from './answers.js';
export { interview, type InterviewAnswer, type InterviewResult } from './interview.js';
