import { join } from 'node:path';
import { interview, type RankedCause } from '../../diagnose/inference/index.js';
import { parseObservations } from '../../diagnose/observations/index.js';
import type { RunningSimulator } from '../../sim/simulator.js';
import { simBenchReader } from '../bench-sim.js';
import { hostObservations, readHost, type HostReading } from '../diagnose/host-observations.js';
import { fillStep } from '../diagnose/render.js';

// The demo's technician at the bench: `medic diagnose` asks for the one measurement that best
// separates the causes still standing, the technician reads it off the simulated module with a
// meter (the same reader `medic diagnose --bench sim:DIR` uses), until the first cause is clear.

const maxQuestions = 8;

export interface BenchConclusion {
  readonly host: HostReading;
  readonly top: RankedCause;
  readonly questions: number;
}

export async function diagnoseAtTheBench(sim: RunningSimulator, say: (text: string) => void): Promise<BenchConclusion> {
  const host = await readHost({ sysfsRoot: sim.info.sysfs, devRoot: join(sim.info.stateDir, 'dev'), probe: false, progress: () => undefined });
  // What the meter and the eye would show; only the readings asked for are used.
  const meter = new Map(parseObservations(await simBenchReader(sim.info.stateDir).read(), 'user').map((reading) => [reading.key, reading]));
  const result = await interview(hostObservations(host), (question) => {
    const reading = meter.get(question.spec.key);
    say(`   medic diagnose asks: ${question.spec.question}  → ${reading === undefined ? 'cannot measure that here' : reading.text}`);
    return reading ?? 'skip';
  }, maxQuestions);
  const top = result.diagnosis.ranked[0];
  if (top === undefined) throw new Error('the knowledge base ranked nothing');
  say(`   medic diagnose: ${top.cause.title} (${Math.round(top.probability * 100)} %). ${top.cause.explanation}`);
  const [first] = top.cause.next;
  if (first !== undefined) say(`   Next: ${fillStep(first, host.ports)}`);
  return { host, top, questions: result.asked };
}
