// `medic diagnose` output: for a person (the first cause in full — why, what to do, where the
// knowledge comes from — then the alternatives in brief) and for machines (--json).
import type { Diagnosis, EvidenceHit, Question, RankedCause } from '../../diagnose/inference/index.js';
import type { NextStep } from '../../diagnose/knowledge/index.js';
import { specOf, type Observation, type Observations } from '../../diagnose/observations/index.js';

export interface KnownPorts {
  readonly at?: string;
  readonly edl?: string;
  readonly dm?: string;
}

const originWords: Record<Observation['origin'], string> = { user: 'you', bench: 'bench', scan: 'host', at: 'module', derived: 'computed' };

export function fillStep(step: NextStep, ports: KnownPorts): string {
  return step.text
    .replace(/\{edlPort\}/g, ports.edl ?? '<the 9008 port `medic scan` lists>')
    .replace(/\{atPort\}/g, ports.at ?? '<the AT port `medic scan` lists>')
    .replace(/\{dmPort\}/g, ports.dm ?? '<the DM port `medic scan` lists>');
}

/** Shares shown to people: a root cause carries the share of what it caused. */
export function shownShare(diagnosis: Diagnosis, entry: RankedCause): number {
  const caused = diagnosis.ranked.filter((other) => other.causedBy === entry.cause.id).reduce((sum, other) => sum + other.probability, 0);
  return Math.min(1, entry.probability + caused);
}

function percent(value: number): string {
  return value >= 0.995 ? '>99 %' : value < 0.01 ? '<1 %' : `${(value * 100).toFixed(0)} %`;
}

function unitOf(key: string): string {
  const spec = specOf(key);
  return spec?.kind === 'number' ? ` ${spec.unit}` : '';
}

function hitLine(hit: EvidenceHit, sign: '+' | '−'): string {
  return `     ${sign} ${hit.key} = ${hit.observed}${unitOf(hit.key)} (${originWords[hit.origin as Observation['origin']]}): ${hit.why}`;
}

export function renderDiagnosis(diagnosis: Diagnosis, context: { observations: Observations; ports: KnownPorts; notes: readonly string[]; next?: Question }): string {
  const lines: string[] = [];
  const shown = diagnosis.ranked.filter((entry, i) => i === 0 || shownShare(diagnosis, entry) >= 0.01).slice(0, 4);
  const [top, ...others] = shown;
  if (top === undefined) return 'No causes known.\n';
  const sureness = diagnosis.clear ? 'clear' : 'not yet clear — more measurements would help';
  lines.push(`Most likely: ${top.cause.title}`);
  lines.push(`  ${percent(shownShare(diagnosis, top))} of the belief, ${sureness}.`);
  lines.push(`  ${top.cause.explanation}`);
  if (top.for.length > 0 || top.against.length > 0) {
    lines.push('  Why:');
    for (const hit of top.for) lines.push(hitLine(hit, '+'));
    for (const hit of top.against) lines.push(hitLine(hit, '−'));
  }
  lines.push('  What to do:');
  top.cause.next.forEach((step, i) => {
    lines.push(`    ${String(i + 1)}. ${step.kind === 'command' ? '' : '[bench] '}${fillStep(step, context.ports)}`);
  });
  const caused = diagnosis.ranked.filter((entry) => entry.causedBy === top.cause.id);
  if (caused.length > 0) lines.push(`  It has probably also caused: ${caused.map((entry) => entry.cause.title).join('; ')} — fix this first, or the damage comes back.`);
  lines.push(`  Knowledge: ${top.cause.confidence} confidence; from ${top.cause.sources.join('; ')}.`);
  if (others.length > 0) {
    lines.push('');
    lines.push('Also possible:');
    for (const entry of others) {
      lines.push(`  - ${entry.cause.title} (${percent(shownShare(diagnosis, entry))})${entry.causedBy === undefined ? '' : ` — probably caused by the ${entry.causedBy.replace(/-/g, ' ')}`}`);
      if (entry.for.length > 0) lines.push(`      for: ${entry.for.map((hit) => `${hit.key}=${hit.observed}`).join(', ')}`);
      if (entry.against.length > 0) lines.push(`      against: ${entry.against.map((hit) => `${hit.key}=${hit.observed}`).join(', ')}`);
      const first = entry.cause.next[0];
      if (first !== undefined) lines.push(`      next: ${fillStep(first, context.ports)}`);
    }
  }
  if (context.next !== undefined && !diagnosis.clear) {
    lines.push('');
    lines.push(`To tell them apart, measure next: ${context.next.spec.label} — ${context.next.spec.how}`);
    lines.push(`  then run again with --observe ${context.next.spec.key}=…`);
  }
  lines.push('');
  lines.push(`Observations: ${[...context.observations.values()].map((o) => `${o.key}=${o.text}${unitOf(o.key)} (${originWords[o.origin]})`).join(', ') || 'none'}`);
  for (const note of context.notes) lines.push(`Note: ${note}`);
  return `${lines.join('\n')}\n`;
}

export function diagnosisJson(diagnosis: Diagnosis, context: { observations: Observations; ports: KnownPorts; notes: readonly string[]; next?: Question }): unknown {
  const top = diagnosis.ranked[0];
  return {
    ok: true,
    verdict: top === undefined ? null : { cause: top.cause.id, title: top.cause.title, fault: top.cause.fault, share: shownShare(diagnosis, top), clear: diagnosis.clear },
    causes: diagnosis.ranked.slice(0, 8).map((entry) => ({
      id: entry.cause.id,
      title: entry.cause.title,
      explanation: entry.cause.explanation,
      score: entry.score,
      probability: Math.round(entry.probability * 10_000) / 10_000,
      share: Math.round(shownShare(diagnosis, entry) * 10_000) / 10_000,
      confidence: entry.cause.confidence,
      fault: entry.cause.fault,
      ...(entry.causedBy === undefined ? {} : { causedBy: entry.causedBy }),
      for: entry.for,
      against: entry.against,
      next: entry.cause.next.map((step) => ({ kind: step.kind, text: fillStep(step, context.ports) })),
      sources: entry.cause.sources,
    })),
    observations: [...context.observations.values()],
    nextMeasurement: context.next === undefined || diagnosis.clear ? null : { key: context.next.spec.key, label: context.next.spec.label, question: context.next.spec.question, how: context.next.spec.how },
    ports: context.ports,
    notes: context.notes,
  };
}
