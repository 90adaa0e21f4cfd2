import { dateTime, decimal, flag, integer, matching, oneOf, optional, text } from './fields.js';

// The risk events of issue #5, declared once. The TypeScript types (event.ts), the JSON Schema
// (json-schema.ts → event.schema.json) and the validator (validate.ts) are all read from here,
// so the documented format the fleet server ingests (#6) cannot drift from what the guard writes.

/** Bumped when a field changes meaning or a required field is added; new optional fields do not bump it. */
export const EVENT_SCHEMA_VERSION = 1;

/**
 * Why the module booted, split like Memfault's reboot reasons (ecosystem-aesthetics.md §1.1):
 * expected reasons apart from unexpected ones, and "unknown" its own visible bucket rather than
 * hidden among the expected ones (the integrators' complaint in §1.1).
 */
export const bootReasons = {
  /** The guard powered the module on (PWRKEY) from off. */
  'power-on': 'expected',
  /** Someone asked for it: `AT+CFUN=1,1`, `AT+QPOWD` followed by a power-on, the recovery ladder. */
  'requested-reset': 'expected',
  /** `RDY` arrived when nobody asked for a restart: a crash, a watchdog or a brown-out. */
  'unexpected-rdy': 'unexpected',
  /** The module came back to normal mode after being found in EDL 9008 (quectel-ec25.md §5.1). */
  'recovered-from-edl': 'unexpected',
  /** The guard could not tell (e.g. it started after the module had booted). */
  unknown: 'unknown',
} as const;

export type BootReason = keyof typeof bootReasons;
export type BootReasonClass = (typeof bootReasons)[BootReason];
export const bootReasonNames = Object.keys(bootReasons) as BootReason[];

/** The split written out, for the schema's documentation. */
const bootReasonSplit = (['expected', 'unexpected', 'unknown'] as const)
  .map((kind) => `${kind}: ${bootReasonNames.filter((name) => bootReasons[name] === kind).join(', ')}`)
  .join('; ');

/** Who a unit is: also an MQTT topic level and a path segment on the fleet server, so no `/`, `+` or `#`. */
export const UNIT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$';

const who = text('who asked: an application (its name or peer), `guard` itself, or `recovery-ladder`', 64);
const atCommand = text('the AT command as sent, without the trailing CR', 512);
const cfunLevel = (description: string) => integer(description, 0, 9);
const registrationStat = (description: string) => integer(description, 0, 11);

/** The fields every event carries, in this order on the wire. */
export const envelopeFields = {
  schema: integer('event schema version (EVENT_SCHEMA_VERSION)', EVENT_SCHEMA_VERSION, EVENT_SCHEMA_VERSION),
  unit: matching('unit id, unique in the fleet', UNIT_ID_PATTERN, 64),
  bootSession: text('id of the module boot session this event belongs to (a UUID, new at every boot event)', 64),
  seq: integer('sequence number per unit: 1, 2, 3, … across boot sessions and agent restarts, never repeated', 1, Number.MAX_SAFE_INTEGER),
  wallTime: dateTime('host wall clock when the event was recorded (may jump: NTP, RTC-less hosts)'),
  monoMs: decimal('host CLOCK_MONOTONIC in ms (time since host boot, not counting suspend); compare only within one host boot', 0, Number.MAX_SAFE_INTEGER),
} as const;

/** Every event type and its data. */
export const eventTypes = {
  boot: {
    description: 'The module booted (RDY seen). Starts a new boot session.',
    data: {
      reason: oneOf(`why it booted (${bootReasonSplit})`, bootReasonNames),
      detail: optional(text('free text, e.g. the URC or the ladder step that preceded it', 200)),
    },
  },
  'shutdown-graceful': {
    description: 'The module was powered down in order (quectel-ec25.md §4.3) before VBAT was removed or it was reset.',
    data: {
      method: oneOf('how it was asked to stop', ['qpowd', 'pwrkey', 'cfun-reset'] as const),
      confirmedBy: oneOf('what showed it had stopped', ['powered-down-urc', 'status-pin', 'usb-absent', 'rdy-after-reset'] as const),
      requestedBy: who,
      durationMs: optional(integer('from the request to the confirmation', 0, 600_000)),
    },
  },
  'power-loss-ungraceful': {
    description: 'A boot with no graceful shutdown before it: the previous boot session ended without shutdown-graceful. Written by the journal right after the boot event.',
    data: {
      previousBootSession: text('the boot session that ended ungracefully', 64),
      previousLastSeq: integer('the last event recorded in that session', 1, Number.MAX_SAFE_INTEGER),
      previousLastWallTime: dateTime('wall clock of that last event: the power was lost after it'),
      bootReason: oneOf('the reason of the boot that followed', bootReasonNames),
    },
  },
  'vbat-sample': {
    description: 'A supply reading (AT+CBC).',
    data: {
      mV: integer('VBAT in millivolts', 0, 10_000),
      percent: optional(integer('battery charge level as the module reports it', 0, 100)),
    },
  },
  'vbat-dip': {
    description: 'VBAT fell below the configured threshold (quectel-ec25.md §8.1: the module browns out below ~3.3 V).',
    data: {
      mV: integer('the lowest reading seen', 0, 10_000),
      thresholdMv: integer('the configured threshold', 0, 10_000),
      durationMs: optional(integer('how long it stayed below, when known', 0, 86_400_000)),
    },
  },
  'cfun-transition': {
    description: 'AT+CFUN changed (or was asked to change) the functionality level; each 0↔1 toggle writes NV (quectel-ec25.md §5.1, §8.8).',
    data: {
      from: optional(cfunLevel('the level before, when known')),
      to: cfunLevel('the level asked for'),
      by: who,
      decision: oneOf('what the guard\'s policy did with the request', ['allowed', 'delayed', 'coalesced', 'refused'] as const),
      delayMs: optional(integer('how long a delayed request was held', 0, 86_400_000)),
      reason: optional(text('why it was delayed, coalesced or refused', 200)),
    },
  },
  'nv-write': {
    description: 'A command that writes the module\'s NV/EFS (persistent AT+QCFG and the like), and whether it really reached NV.',
    data: {
      command: atCommand,
      outcome: oneOf('written: sent to the module; coalesced: merged with a pending identical write; skipped-as-unchanged: query-then-set found the value already set', ['written', 'coalesced', 'skipped-as-unchanged'] as const),
      by: who,
    },
  },
  temperature: {
    description: 'A temperature reading (AT+QTEMP).',
    data: {
      sensor: text('sensor name as the module reports it (e.g. xo_therm, pa_therm)', 40),
      celsius: decimal('degrees Celsius', -60, 200),
    },
  },
  'registration-lost': {
    description: 'Network registration fell back from home/roaming to searching, not registered or denied (Memfault\'s connection-loss counter, ecosystem-aesthetics.md §1.1).',
    data: {
      stat: registrationStat('the new +CREG/+CEREG <stat>'),
      previousStat: optional(registrationStat('the <stat> before')),
      accessTechnology: optional(text('the access technology before, e.g. LTE', 20)),
    },
  },
  'registration-regained': {
    description: 'The module is registered again (home or roaming).',
    data: {
      stat: registrationStat('the new +CREG/+CEREG <stat> (1 home, 5 roaming)'),
      accessTechnology: optional(text('the access technology, e.g. LTE', 20)),
      lostForMs: optional(integer('how long it was not registered', 0, Number.MAX_SAFE_INTEGER)),
    },
  },
  'firmware-revision-change': {
    description: 'AT+QGMR reports a revision different from the last one recorded for this unit.',
    data: {
      from: optional(text('the revision before; absent the first time', 80)),
      to: text('the revision now', 80),
    },
  },
  'config-drift': {
    description: 'A setting of the desired configuration differs from what the module reports (query-then-set, eg25-manager style).',
    data: {
      key: text('the setting, e.g. QCFG "usbnet"', 120),
      expected: text('the desired value', 200, 0),
      actual: text('the value the module reported', 200, 0),
      action: oneOf('corrected: set back (one NV write); reported: left alone', ['corrected', 'reported'] as const),
    },
  },
  'module-in-edl': {
    description: 'The module enumerates as Qualcomm EDL (QDLoader 9008): reported, never power-cycled in a loop.',
    data: {
      usbId: matching('vid:pid as seen', '^[0-9a-f]{4}:[0-9a-f]{4}$', 9),
      detail: optional(text('what the guard saw or did', 200)),
    },
  },
  'rf-disabled': {
    description: 'After a boot the module reports +CFUN: 5 or 7: its radio cannot be switched on (AT+CFUN=1 fails) until it is repaired (quectel-ec25.md §3.3, §5.1).',
    data: {
      level: integer('the +CFUN: level the module reported (5 or 7)', 5, 7),
      reason: oneOf('calibration-lost: level 5, factory test mode, the RF calibration in efs2 is gone (QFORUM/56770); wrong-baseline: level 7, the calibration belongs to another firmware baseline than the one running (QFORUM/58100)', ['calibration-lost', 'wrong-baseline'] as const),
      detail: optional(text('what the guard read or what to do next', 300)),
    },
  },
  'recovery-step': {
    description: 'A step of the recovery ladder (AT silent → AT+CFUN=1,1 → PWRKEY cycle → VBAT cycle) and how it went.',
    data: {
      step: oneOf('the ladder step', ['cfun-reset', 'pwrkey-cycle', 'vbat-cycle'] as const),
      outcome: oneOf('recovered: the module answers again; failed: it does not; rate-limited: the step\'s budget is spent, not taken', ['recovered', 'failed', 'rate-limited'] as const),
      trigger: optional(text('what started the ladder, e.g. "AT silent for 30 s"', 200)),
      budgetLeft: optional(integer('how many more times this step may run in its window', 0, 10_000)),
    },
  },
  'policy-refusal': {
    description: 'The AT proxy refused a command by policy (R&D commands, CFUN budgets, …).',
    data: {
      command: atCommand,
      by: who,
      rule: text('the policy rule that refused it', 80),
      reason: text('the reason given in the reply', 200),
    },
  },
  'agent-lifecycle': {
    description: 'The guard itself: started, stopping, configuration loaded, journal repaired on open.',
    data: {
      phase: oneOf('what happened to the agent', ['started', 'stopping', 'config-loaded', 'journal-repaired'] as const),
      version: optional(text('modem-medic version', 40)),
      detail: optional(text('e.g. the signal that stopped it, or what the journal dropped', 300)),
      clean: optional(flag('for started: whether the previous run stopped in order')),
    },
  },
} as const;

export type EventType = keyof typeof eventTypes;
export const eventTypeNames = Object.keys(eventTypes) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(eventTypes, value);
}
