import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { logWarn } from '../../core/logger.js';
import { countRefusals } from '../ingest/index.js';
import { ackPayload, ingestMqttEvents, recordStatus, type MqttIngestContext } from './unit-message.js';
import { parseUnitTopic, subscriptionTopics, unitTopic } from './topics.js';

// With --mqtt the broker is someone else's (Mosquitto 2 here). We join as an MQTT 5 client
// (ecosystem-aesthetics.md §2.4) and read the events through a shared subscription, so several
// `fleet serve` processes split them; a message delivered twice (reconnects, QoS 1) is harmless
// because inserts are idempotent. We cannot see who published: the broker's ACL must pin each unit
// to its own topics (Mosquitto: `pattern write medic/v1/units/%u/#`); we still refuse events whose
// unit differs from the topic's, and events of units we do not know.

export interface ExternalSubscriberOptions {
  readonly context: MqttIngestContext;
  readonly url: string;
  readonly prefix: string;
}

export interface ExternalSubscriber {
  readonly url: string;
  close(): Promise<void>;
}

async function knownUnit(context: MqttIngestContext, known: Set<string>, unit: string): Promise<boolean> {
  if (known.has(unit)) return true;
  if ((await context.store.credentialOf(unit)) === undefined) return false;
  known.add(unit);
  return true;
}

async function handle(client: MqttClient, options: ExternalSubscriberOptions, known: Set<string>, packet: { topic: string; payload: Buffer | string }): Promise<void> {
  const { context, prefix } = options;
  const target = parseUnitTopic(prefix, packet.topic);
  if (target === undefined || target.kind === 'ack') return;
  const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
  if (!(await knownUnit(context, known, target.unit))) {
    await countRefusals(context.store, '', [{ reason: 'unauthenticated', detail: `MQTT message for unknown unit "${target.unit}" on ${packet.topic.slice(0, 200)}` }]);
    return;
  }
  if (target.kind === 'status') {
    await recordStatus(context, target.unit, payload);
    return;
  }
  const result = await ingestMqttEvents(context, target.unit, payload);
  client.publish(unitTopic(prefix, target.unit, 'ack'), ackPayload(result), { qos: 0 });
}

export async function startExternalSubscriber(options: ExternalSubscriberOptions): Promise<ExternalSubscriber> {
  const known = new Set<string>();
  const inflight = new Set<Promise<void>>();
  const client = await connectAsync(options.url, {
    protocolVersion: 5,
    clientId: `medic-fleet-${randomUUID()}`,
    clean: true,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
  });
  // PUBACK only after the message is stored: a server that dies mid-message leaves it to the broker to redeliver.
  client.handleMessage = (packet, callback) => {
    const work = handle(client, options, known, packet);
    inflight.add(work);
    void work.finally(() => inflight.delete(work)).catch(() => undefined);
    work.then(
      () => {
        callback();
      },
      (error: unknown) => {
        logWarn(options.context.logger, `could not store an MQTT message on ${packet.topic}: ${error instanceof Error ? error.message : String(error)}`);
        callback(error instanceof Error ? error : new Error(String(error)));
      },
    );
  };
  client.on('error', (error) => {
    logWarn(options.context.logger, `MQTT: ${error.message}`);
  });
  const topics = subscriptionTopics(options.prefix);
  // Status stays a plain subscription: retained messages are not sent to shared subscriptions (MQTT 5 §4.8.2).
  await client.subscribeAsync({ [topics.sharedEvents]: { qos: 1 }, [topics.status]: { qos: 1 } });
  return {
    url: options.url,
    close: async () => {
      // Stop taking messages, then let the ones being stored finish before the store closes. Their
      // PUBACK may not go out any more: the broker redelivers them, a harmless duplicate.
      await client.endAsync();
      await Promise.allSettled([...inflight]);
    },
  };
}
