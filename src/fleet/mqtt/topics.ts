// Per-unit topics: a unit publishes under its own id only, so broker ACLs (Mosquitto's
// `pattern write medic/v1/units/%u/#`) or our aedes hooks can pin a unit to its topic.

export const DEFAULT_TOPIC_PREFIX = 'medic/v1';

/** The shared-subscription group several `fleet serve` processes join to split the events between them. */
export const SHARED_GROUP = 'medic-fleet';

export type UnitTopicKind = 'events' | 'status' | 'ack';

export function unitTopic(prefix: string, unit: string, kind: UnitTopicKind): string {
  return `${prefix}/units/${unit}/${kind}`;
}

export function parseUnitTopic(prefix: string, topic: string): { unit: string; kind: UnitTopicKind } | undefined {
  const head = `${prefix}/units/`;
  if (!topic.startsWith(head)) return undefined;
  const rest = topic.slice(head.length).split('/');
  const [unit, kind] = rest;
  if (rest.length !== 2 || unit === undefined || unit === '' || (kind !== 'events' && kind !== 'status' && kind !== 'ack')) return undefined;
  return { unit, kind };
}

export function subscriptionTopics(prefix: string): { events: string; sharedEvents: string; status: string } {
  return { events: `${prefix}/units/+/events`, sharedEvents: `$share/${SHARED_GROUP}/${prefix}/units/+/events`, status: `${prefix}/units/+/status` };
}
