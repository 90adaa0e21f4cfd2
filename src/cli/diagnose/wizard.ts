// The interactive part of `medic diagnose`: asks, one at a time, only for the measurement that
// best separates the causes still standing (inference/next-question.ts), and stops as soon as the
// first cause is clear. Answers go through the same parser as --observe, so a mistyped value or an
// impossible reading is explained and asked again, never a crash.
import { createInterface } from 'node:readline';
import { isMedicError } from '../../core/errors.js';
import { interview, type Question } from '../../diagnose/inference/index.js';
import { collectObservations, parseObservation, type Observation } from '../../diagnose/observations/index.js';
import type { CliIo } from '../io.js';

/** Reads lines; undefined once the input ends (Ctrl-D, a closed pipe). */
function lineReader(io: CliIo): { ask: (prompt: string) => Promise<string | undefined>; close: () => void } {
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: io.stdin.isTTY === true, crlfDelay: Infinity });
  const queued: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  let closed = false;
  rl.on('line', (line) => {
    if (waiting === undefined) queued.push(line);
    else {
      const resolve = waiting;
      waiting = undefined;
      resolve(line);
    }
  });
  // Ctrl-C ends the questions (the diagnosis so far is still printed).
  rl.on('SIGINT', () => {
    rl.close();
  });
  rl.on('close', () => {
    closed = true;
    waiting?.(undefined);
    waiting = undefined;
  });
  return {
    ask: (prompt) => {
      rl.setPrompt(prompt);
      rl.prompt();
      const line = queued.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (closed) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    close: () => {
      rl.close();
    },
  };
}

const maxQuestions = 12;

/** Runs the wizard from `known`; returns the answers given (origin user). */
export async function runWizard(io: CliIo, known: readonly Observation[]): Promise<Observation[]> {
  const say = (text: string): void => {
    io.stderr.write(`${text}\n`);
  };
  const reader = lineReader(io);
  say('\nI will ask only for the measurement that best separates what is still possible.');
  say('Answer with a value, "skip" if you cannot measure it, "?" for how to measure, "done" to stop.\n');
  try {
    const result = await interview(known, (question, answers) => {
      const standing = question.between.slice(0, 3).map((id) => id.replace(/-/g, ' ')).join(', ');
      say(`Still possible: ${standing}.`);
      return askOne(reader.ask, say, { question, known: [...known, ...answers] });
    }, maxQuestions);
    const top = result.diagnosis.ranked[0];
    if (result.ended === 'clear' && top !== undefined) say(`That settles it: ${top.cause.title}.\n`);
    if (result.ended === 'no-question') say('No measurement I know of would separate the remaining causes further.\n');
    return [...result.answers];
  } finally {
    reader.close();
  }
}

async function askOne(
  ask: (prompt: string) => Promise<string | undefined>,
  say: (text: string) => void,
  context: { question: Question; known: readonly Observation[] },
): Promise<Observation | 'skip' | 'stop'> {
  const { spec } = context.question;
  for (;;) {
    const line = await ask(`${spec.question} `);
    if (line === undefined) {
      say('');
      return 'stop';
    }
    const text = line.trim();
    const word = text.toLowerCase();
    if (word === 'skip' || word === 's') return 'skip';
    if (word === 'done' || word === 'quit' || word === 'q') return 'stop';
    if (word === '?' || word === 'help' || word === 'h') {
      say(`  How: ${spec.how}`);
      continue;
    }
    if (text === '') {
      say('  Type a value, "skip", or "?" for how to measure it.');
      continue;
    }
    try {
      const observation = parseObservation({ key: spec.key, value: text }, 'user');
      collectObservations([...context.known, observation]);
      return observation;
    } catch (error) {
      if (!isMedicError(error)) throw error;
      say(`  ${error.message}`);
      if (error.hint !== undefined) say(`  ${error.hint}`);
    }
  }
}
