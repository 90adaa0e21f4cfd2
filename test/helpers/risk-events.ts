import type { EventData, EventInput, RiskEvent } from '../../src/guard/events/event.js';
import type { EventType } from '../../src/guard/events/event-types.js';

/**
 * One example of every event type, with every optional field filled. The `satisfies` makes the
 * compiler refuse this file when a type is added to the model without an example here.
 */
export const fullExamples = {
  boot: { reason: 'unexpected-rdy', detail: 'RDY with no reset requested' },
  'shutdown-graceful': { method: 'qpowd', confirmedBy: 'powered-down-urc', requestedBy: 'guard', durationMs: 1830 },
  'power-loss-ungraceful': { previousBootSession: '7d1f4c2e-2b7a-4d7e-9a52-0f3c1d2e4b6a', previousLastSeq: 41, previousLastWallTime: '2026-11-23T21:59:58.120Z', bootReason: 'power-on' },
  'vbat-sample': { mV: 3812, percent: 78 },
  'vbat-dip': { mV: 3190, thresholdMv: 3300, durationMs: 40 },
  'cfun-transition': { from: 1, to: 0, by: 'connman', decision: 'delayed', delayMs: 60_000, reason: 'CFUN budget: 6 toggles this hour (limit 6)' },
  'nv-write': { command: 'AT+QCFG="usbnet",1', outcome: 'skipped-as-unchanged', by: 'guard' },
  temperature: { sensor: 'pa_therm', celsius: 41.5 },
  'registration-lost': { stat: 2, previousStat: 1, accessTechnology: 'LTE' },
  'registration-regained': { stat: 5, accessTechnology: 'LTE', lostForMs: 93_000 },
  'firmware-revision-change': { from: 'EC25EFAR06A01M4G', to: 'EC25EFAR06A03M4G' },
  'config-drift': { key: 'QCFG "usbnet"', expected: '1', actual: '0', action: 'corrected' },
  'module-in-edl': { usbId: '05c6:9008', detail: 'found in QDLoader 9008 after a VBAT cycle' },
  'rf-disabled': { level: 7, reason: 'wrong-baseline', detail: 'calibration and firmware baseline do not match' },
  'recovery-step': { step: 'pwrkey-cycle', outcome: 'rate-limited', trigger: 'AT silent for 30 s', budgetLeft: 0 },
  'policy-refusal': { command: 'AT+QPRTPARA=3', by: 'minicom', rule: 'rd-commands', reason: 'R&D command refused by the guard (restores factory NV)' },
  'agent-lifecycle': { phase: 'started', version: '0.1.0', detail: 'SIGTERM', clean: true },
} as const satisfies { readonly [T in EventType]: EventData<T> };

/** The same with only the required fields. */
export const minimalExamples = {
  boot: { reason: 'unknown' },
  'shutdown-graceful': { method: 'pwrkey', confirmedBy: 'status-pin', requestedBy: 'recovery-ladder' },
  'power-loss-ungraceful': fullExamples['power-loss-ungraceful'],
  'vbat-sample': { mV: 0 },
  'vbat-dip': { mV: 2900, thresholdMv: 3300 },
  'cfun-transition': { to: 1, by: 'guard', decision: 'allowed' },
  'nv-write': { command: 'AT+QCFG="ims",1', outcome: 'written', by: 'ofono' },
  temperature: { sensor: 'xo_therm', celsius: -20 },
  'registration-lost': { stat: 0 },
  'registration-regained': { stat: 1 },
  'firmware-revision-change': { to: 'EC25EFAR06A01M4G' },
  'config-drift': { key: 'QCFG "apready"', expected: '1,0,500', actual: '', action: 'reported' },
  'module-in-edl': { usbId: '05c6:9008' },
  'rf-disabled': { level: 5, reason: 'calibration-lost' },
  'recovery-step': { step: 'cfun-reset', outcome: 'recovered' },
  'policy-refusal': { command: 'AT+EGMR=1,7,"861234567890126"', by: 'app', rule: 'rd-commands', reason: 'IMEI writes are refused' },
  'agent-lifecycle': { phase: 'stopping' },
} as const satisfies { readonly [T in EventType]: EventData<T> };

export function inputOf<T extends EventType>(type: T, data: EventData<T>): EventInput {
  return { type, data } as EventInput;
}

/** A complete event around `input`, as the journal would write it. */
export function completeEvent(input: EventInput, seq = 1): RiskEvent {
  return {
    schema: 1,
    unit: 'unit-0042',
    bootSession: 'b4c1a7de-5f55-4a59-8f0b-6f4f3d1e2a90',
    seq,
    wallTime: '2026-11-23T22:00:00.000Z',
    monoMs: 123456.789,
    ...input,
  };
}
