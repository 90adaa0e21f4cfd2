import type { Diagnosis } from '../../diagnose/inference/index.js';
import type { Observations } from '../../diagnose/observations/index.js';
import type { ReworkRecordInput } from '../../diagnose/rework-log/index.js';
import type { HostReading } from './host-observations.js';
import { fillStep } from './render.js';

// What `medic diagnose` writes to the rework log (issue #4 §3): the unit as the host knew it, every
// observation as a person would write it, the first cause, and the next step — so a batch of
// diagnosed units becomes a table to learn from.

export interface DiagnoseRun {
  readonly host: HostReading;
  readonly diagnosis: Diagnosis;
  readonly observations: Observations;
  /** Questions the wizard asked. */
  readonly asked: number;
  readonly bench: boolean;
}

export function diagnoseRecord(run: DiagnoseRun): ReworkRecordInput {
  const { host, diagnosis } = run;
  const top = diagnosis.ranked[0];
  const identity = host.health?.readings.identity;
  const observations: Record<string, string> = {};
  for (const [key, observation] of run.observations) observations[key] = observation.text;
  const actions = [
    host.device === undefined ? 'scanned USB: no module' : `scanned USB: ${host.device.usbPath} in ${host.device.identity.mode} mode`,
    ...(host.health === undefined ? [] : ['read the AT health report']),
    ...(run.bench ? ['read the bench'] : []),
    ...(run.asked > 0 ? [`asked ${String(run.asked)} bench question(s)`] : []),
  ];
  const first = top?.cause.next[0];
  return {
    command: 'diagnose',
    outcome: 'diagnosed',
    unit: {
      ...(identity?.imei === undefined ? {} : { imei: identity.imei }),
      ...(host.device === undefined ? {} : { usbPath: host.device.usbPath }),
      ...(host.ports.at === undefined ? {} : { port: host.ports.at }),
    },
    revision: identity?.revision === undefined ? {} : { before: identity.revision },
    observations,
    actions,
    ...(top === undefined ? {} : { verdict: { cause: top.cause.id, confidence: Math.round(top.probability * 100) / 100, summary: top.cause.title } }),
    ...(first === undefined || top?.cause.fault !== true ? {} : { next: fillStep(first, host.ports) }),
  };
}
