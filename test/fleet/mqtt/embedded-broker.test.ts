import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectAsync, type MqttClient } from 'mqtt';
import { registerUnit, startFleetServer, unitTopic, type FleetServer } from '../../../src/fleet/index.js';
import { waitFor } from '../../helpers/wait.js';
import { eventOf, eventsOf, get, refusalCounts } from '../fleet-fixture.js';

const TOKEN = 'test-admin-token-embedded-mqtt';

/** A unit as the guard would connect: its id and secret, MQTT 3.1.1 (all aedes speaks, §2.4), a will saying offline. */
function connectUnit(server: FleetServer, unit: string, secret: string): Promise<MqttClient> {
  return connectAsync(server.mqtt, {
    protocolVersion: 4,
    username: unit,
    password: secret,
    reconnectPeriod: 0,
    will: { topic: unitTopic(server.topicPrefix, unit, 'status'), payload: Buffer.from('offline'), qos: 1, retain: true },
  });
}

async function storedSeqs(server: FleetServer, unit: string): Promise<number[]> {
  const answer = await get(`${server.http}/api/v1/units/${unit}/events?limit=1000`, TOKEN);
  return (answer.body['events'] as { seq: number }[]).map((event) => event.seq);
}

async function unitStatus(server: FleetServer, unit: string): Promise<string | null | undefined> {
  const answer = await get(`${server.http}/api/v1/units`, TOKEN);
  return (answer.body['units'] as { id: string; status: string | null }[]).find((row) => row.id === unit)?.status;
}

describe('MQTT ingest through the embedded broker', () => {
  let server: FleetServer;
  let secret: string;
  before(async () => {
    server = await startFleetServer({ port: 0, mqttPort: 0, adminToken: TOKEN });
    ({ secret } = await registerUnit(server.store, { id: 'unit-m1' }));
    await registerUnit(server.store, { id: 'unit-m2' });
  });
  after(() => server.close());

  it('stores a batch before its PUBACK, answers on the ack topic, and a resend changes nothing', async () => {
    const client = await connectUnit(server, 'unit-m1', secret);
    try {
      const acks: Record<string, unknown>[] = [];
      client.on('message', (_topic, payload) => acks.push(JSON.parse(payload.toString()) as Record<string, unknown>));
      await client.subscribeAsync(unitTopic(server.topicPrefix, 'unit-m1', 'ack'), { qos: 1 });
      const batch = JSON.stringify({ events: eventsOf('unit-m1', 1, 10) });
      await client.publishAsync(unitTopic(server.topicPrefix, 'unit-m1', 'events'), batch, { qos: 1 });
      // PUBACK came back: the events are already in the store.
      assert.deepEqual(await storedSeqs(server, 'unit-m1'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await client.publishAsync(unitTopic(server.topicPrefix, 'unit-m1', 'events'), JSON.stringify(eventOf('unit-m1', 3)), { qos: 1 });
      assert.deepEqual(await storedSeqs(server, 'unit-m1'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await waitFor(() => acks.length >= 2, 10_000, 'two acks');
      assert.deepEqual(acks, [
        { ok: true, accepted: 10, duplicates: 0, refused: [], highestStoredSeq: 10 },
        { ok: true, accepted: 0, duplicates: 1, refused: [], highestStoredSeq: 3 },
      ]);
    } finally {
      await client.endAsync();
    }
  });

  it('counts malformed and foreign-unit messages, keeping the connection', async () => {
    const client = await connectUnit(server, 'unit-m1', secret);
    try {
      const before = await refusalCounts(server.http, TOKEN);
      const topic = unitTopic(server.topicPrefix, 'unit-m1', 'events');
      await client.publishAsync(topic, 'not json at all', { qos: 1 });
      await client.publishAsync(topic, JSON.stringify({ ...eventOf('unit-m1', 50), monoMs: -1 }), { qos: 1 });
      await client.publishAsync(topic, JSON.stringify(eventOf('unit-m2', 51)), { qos: 1 });
      const counts = await refusalCounts(server.http, TOKEN);
      assert.equal((counts['malformed-json'] ?? 0) - (before['malformed-json'] ?? 0), 1);
      assert.equal((counts['invalid-event'] ?? 0) - (before['invalid-event'] ?? 0), 1);
      assert.equal((counts['unit-mismatch'] ?? 0) - (before['unit-mismatch'] ?? 0), 1);
      assert.deepEqual(await storedSeqs(server, 'unit-m2'), []);
      assert.equal(client.connected, true);
    } finally {
      await client.endAsync();
    }
  });

  it('refuses a unit with a wrong secret at CONNECT, and counts it', async () => {
    const before = await refusalCounts(server.http, TOKEN);
    await assert.rejects(connectUnit(server, 'unit-m1', 'not-the-secret-at-all'), /Bad username or password|Not authorized/iu);
    await assert.rejects(connectUnit(server, 'unit-nobody', 'whatever-whatever'), /Bad username or password|Not authorized/iu);
    const counts = await refusalCounts(server.http, TOKEN);
    assert.equal((counts['unauthenticated'] ?? 0) - (before['unauthenticated'] ?? 0), 2);
  });

  it("drops a unit that publishes under another unit's topic, storing nothing", async () => {
    const client = await connectUnit(server, 'unit-m1', secret);
    const before = await refusalCounts(server.http, TOKEN);
    const closed = new Promise<void>((resolve) => client.once('close', resolve));
    client.publish(unitTopic(server.topicPrefix, 'unit-m2', 'events'), JSON.stringify(eventOf('unit-m2', 1)), { qos: 1 });
    await closed;
    client.end(true);
    const counts = await refusalCounts(server.http, TOKEN);
    assert.equal((counts['unit-mismatch'] ?? 0) - (before['unit-mismatch'] ?? 0), 1);
    assert.deepEqual(await storedSeqs(server, 'unit-m2'), []);
  });

  it('shows the unit online from its retained status, and offline from its will when it vanishes', async () => {
    const client = await connectUnit(server, 'unit-m1', secret);
    await client.publishAsync(unitTopic(server.topicPrefix, 'unit-m1', 'status'), 'online', { qos: 1, retain: true });
    assert.equal(await unitStatus(server, 'unit-m1'), 'online');
    // A power cut: the TCP connection dies without DISCONNECT, the broker publishes the will.
    client.stream.destroy();
    await waitFor(async () => (await unitStatus(server, 'unit-m1')) === 'offline', 10_000, 'the will to mark the unit offline');
    client.end(true);
  });
});
