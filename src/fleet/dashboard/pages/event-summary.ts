import type { RiskEvent } from '../../../guard/events/index.js';

// One line per event for the timeline; what a field engineer reads first for each type.
export function eventSummary(event: RiskEvent): string {
  switch (event.type) {
    case 'boot':
      return `reason ${event.data.reason}${event.data.detail === undefined ? '' : ` — ${event.data.detail}`}`;
    case 'shutdown-graceful':
      return `${event.data.method}, confirmed by ${event.data.confirmedBy} (asked by ${event.data.requestedBy})`;
    case 'power-loss-ungraceful':
      return `power lost after ${event.data.previousLastWallTime.replace('T', ' ').slice(0, 19)}; next boot: ${event.data.bootReason}`;
    case 'vbat-sample':
      return `${event.data.mV} mV`;
    case 'vbat-dip':
      return `${event.data.mV} mV (threshold ${event.data.thresholdMv} mV)`;
    case 'cfun-transition':
      return `CFUN ${event.data.from ?? '?'}→${event.data.to} by ${event.data.by}: ${event.data.decision}`;
    case 'nv-write':
      return `${event.data.command} — ${event.data.outcome}`;
    case 'temperature':
      return `${event.data.sensor} ${event.data.celsius} °C`;
    case 'registration-lost':
      return `stat ${event.data.stat}${event.data.accessTechnology === undefined ? '' : ` (was ${event.data.accessTechnology})`}`;
    case 'registration-regained':
      return `stat ${event.data.stat}${event.data.lostForMs === undefined ? '' : ` after ${Math.round(event.data.lostForMs / 1000)} s`}`;
    case 'firmware-revision-change':
      return `${event.data.from ?? '(first)'} → ${event.data.to}`;
    case 'config-drift':
      return `${event.data.key}: ${event.data.actual} ≠ ${event.data.expected} (${event.data.action})`;
    case 'module-in-edl':
      return `${event.data.usbId}${event.data.detail === undefined ? '' : ` — ${event.data.detail}`}`;
    case 'rf-disabled':
      return `CFUN ${event.data.level}: ${event.data.reason}`;
    case 'recovery-step':
      return `${event.data.step}: ${event.data.outcome}`;
    case 'policy-refusal':
      return `${event.data.command} from ${event.data.by}: ${event.data.reason}`;
    case 'agent-lifecycle':
      return `${event.data.phase}${event.data.detail === undefined ? '' : ` — ${event.data.detail}`}`;
  }
}

const bad = new Set(['power-loss-ungraceful', 'module-in-edl', 'vbat-dip', 'rf-disabled']);
const warn = new Set(['registration-lost', 'policy-refusal', 'config-drift', 'recovery-step']);

export function eventTone(event: RiskEvent): 'bad' | 'warn' | '' {
  if (bad.has(event.type) || (event.type === 'boot' && (event.data.reason === 'unexpected-rdy' || event.data.reason === 'recovered-from-edl'))) return 'bad';
  return warn.has(event.type) ? 'warn' : '';
}
