import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectAsync, type MqttClient } from 'mqtt';
import { registerUnit, startFleetServer, unitTopic, type FleetServer } from '../../../src/fleet/index.js';
import { waitFor } from '../../helpers/wait.js';
import { eventOf, eventsOf, freshSchema, freshTopicPrefix, get, MQTT_URL, PG_URL, refusalCounts } from '../fleet-fixture.js';

const TOKEN = 'test-admin-token-mosquitto';

async function storedSeqs(server: FleetServer, unit: string): Promise<number[]> {
  const answer = await get(`${server.http}/api/v1/units/${unit}/events?limit=1000`, TOKEN);
  return (answer.body['events'] as { seq: number }[]).map((event) => event.seq);
}

describe('ingest from the real Mosquitto into the real PostgreSQL', () => {
  let server: FleetServer;
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  let unit: MqttClient;
  const prefix = freshTopicPrefix();
  before(async () => {
    schema = await freshSchema();
    server = await startFleetServer({ port: 0, db: PG_URL, dbSchema: schema.name, mqtt: MQTT_URL, topicPrefix: prefix, adminToken: TOKEN });
    await registerUnit(server.store, { id: 'unit-q1' });
    await registerUnit(server.store, { id: 'unit-q2' });
    // Mosquitto here allows anonymous clients (/etc/mosquitto): a unit connects without credentials.
    unit = await connectAsync(MQTT_URL, { protocolVersion: 5, reconnectPeriod: 0 });
  });
  after(async () => {
    // Retained messages outlive us in Mosquitto's persistence: clear ours.
    await unit.publishAsync(unitTopic(prefix, 'unit-q1', 'status'), '', { qos: 1, retain: true });
    await unit.endAsync();
    await server.close();
    await schema.drop();
  });

  it('stores the events of a message once, however often it arrives', async () => {
    const topic = unitTopic(prefix, 'unit-q1', 'events');
    const batch = JSON.stringify({ events: eventsOf('unit-q1', 1, 25) });
    await unit.publishAsync(topic, batch, { qos: 1 });
    await unit.publishAsync(topic, batch, { qos: 1 });
    await unit.publishAsync(topic, JSON.stringify(eventOf('unit-q1', 26)), { qos: 1 });
    const expected = Array.from({ length: 26 }, (_, index) => index + 1);
    await waitFor(async () => (await storedSeqs(server, 'unit-q1')).length === 26, 15_000, '26 events stored');
    // One publisher's messages arrive in order and the server handles them one at a time: once this
    // marker is stored, every copy sent before it has been handled too.
    await unit.publishAsync(topic, JSON.stringify(eventOf('unit-q1', 27)), { qos: 1 });
    await waitFor(async () => (await storedSeqs(server, 'unit-q1')).length === 27, 15_000, 'the marker event');
    assert.deepEqual(await storedSeqs(server, 'unit-q1'), [...expected, 27]);
    const stats = await get(`${server.http}/api/v1/stats`, TOKEN);
    assert.equal(stats.body['events'], 27);
  });

  it('refuses events whose unit is not the topic\'s, and messages for units it does not know', async () => {
    const before = await refusalCounts(server.http, TOKEN);
    await unit.publishAsync(unitTopic(prefix, 'unit-q1', 'events'), JSON.stringify(eventOf('unit-q2', 1)), { qos: 1 });
    await unit.publishAsync(unitTopic(prefix, 'unit-stranger', 'events'), JSON.stringify(eventOf('unit-stranger', 1)), { qos: 1 });
    await unit.publishAsync(unitTopic(prefix, 'unit-q1', 'events'), '{"events": [', { qos: 1 });
    await waitFor(
      async () => {
        const counts = await refusalCounts(server.http, TOKEN);
        return ['unit-mismatch', 'unauthenticated', 'malformed-json'].every((reason) => (counts[reason] ?? 0) - (before[reason] ?? 0) === 1);
      },
      15_000,
      'three refusals counted',
    );
    assert.deepEqual(await storedSeqs(server, 'unit-q2'), []);
  });

  it('records the status a unit publishes', async () => {
    await unit.publishAsync(unitTopic(prefix, 'unit-q1', 'status'), JSON.stringify({ status: 'online' }), { qos: 1, retain: true });
    await waitFor(
      async () => ((await get(`${server.http}/api/v1/units`, TOKEN)).body['units'] as { id: string; status: string | null }[]).find((row) => row.id === 'unit-q1')?.status === 'online',
      15_000,
      'unit-q1 online',
    );
  });
});
