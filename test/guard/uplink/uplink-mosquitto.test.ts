import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectAsync, type MqttClient } from 'mqtt';
import { registerUnit, startFleetServer, type FleetServer } from '../../../src/fleet/index.js';
import { startUplink, unitTopic, uplinkErrorCodes } from '../../../src/guard/uplink/index.js';
import { freshSchema, freshTopicPrefix, MQTT_URL, PG_URL } from '../../fleet/fleet-fixture.js';
import { tempDir, waitFor } from '../../helpers/wait.js';
import { appendSamples, freshUnit, observeEvents, oneToN, openJournal, scaledClock, SimulatedHostClock, startTcpProxy, storedSeqs, unitStatus, type TcpProxy } from './uplink-fixture.js';

// The issue's test (#5): "Broker down for a simulated day → every event arrives once, in order,
// after it returns", against this machine's Mosquitto and a real `fleet serve` on PostgreSQL.
// "Down" is a TCP proxy between the guard and Mosquitto that cuts and refuses connections.

const broker = new URL(MQTT_URL);

describe('uplink over the real Mosquitto to a fleet server on PostgreSQL', () => {
  let server: FleetServer;
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  let proxy: TcpProxy;
  let cleaner: MqttClient;
  const prefix = freshTopicPrefix();
  const units: string[] = [];

  before(async () => {
    schema = await freshSchema();
    server = await startFleetServer({ port: 0, db: PG_URL, dbSchema: schema.name, mqtt: MQTT_URL, topicPrefix: prefix, adminToken: 'uplink-test-token' });
    proxy = await startTcpProxy({ host: broker.hostname, port: Number(broker.port || 1883) });
    cleaner = await connectAsync(MQTT_URL, { reconnectPeriod: 0 });
  });
  after(async () => {
    // Retained statuses outlive us in Mosquitto's persistence: clear ours.
    for (const unit of units) await cleaner.publishAsync(unitTopic(prefix, unit, 'status'), '', { qos: 1, retain: true });
    await cleaner.endAsync();
    await proxy.close();
    await server.close();
    await schema.drop();
  });

  it('broker down for a simulated day: every event arrives once, in order, after it returns', async () => {
    const unit = freshUnit('unit-day');
    units.push(unit);
    await registerUnit(server.store, { id: unit });
    await using dir = await tempDir();
    const hostClock = new SimulatedHostClock();
    const journal = await openJournal(dir.path, unit, hostClock);
    const observer = await observeEvents(MQTT_URL, unitTopic(prefix, unit, 'events'));
    // Default retry (1 s … 5 min) in uplink time running 1000× fast.
    const clock = scaledClock(0.001);
    const uplink = startUplink({ journal, unit, transport: { kind: 'mqtt', url: `mqtt://127.0.0.1:${proxy.port}`, topicPrefix: prefix }, clock, timeoutMs: 10_000 });
    try {
      await journal.startBootSession('power-on');
      await waitFor(async () => (await uplink.flushNow()).acknowledged === 1, 15_000, 'the boot event delivered');
      assert.equal(uplink.status().connected, true);
      await waitFor(async () => (await unitStatus(server, unit)) === 'online', 15_000, 'the unit online on the server');

      proxy.down();
      // The broker saw the connection drop without a DISCONNECT: it publishes the guard's will.
      await waitFor(async () => (await unitStatus(server, unit)) === 'offline', 15_000, 'the will: offline');
      await appendSamples(journal, hostClock, { count: 1440, everyMs: 60_000 });
      assert.equal(hostClock.wallTime().toISOString(), '2026-11-24T00:00:00.000Z', 'a day went by on the host');
      await waitFor(() => uplink.status().failures >= 3, 15_000, 'retries while the broker is away');
      const down = uplink.status();
      assert.equal(down.connected, false);
      assert.equal(down.acknowledged, 1);
      assert.equal(down.pending, 1440);
      assert.equal(down.lastError?.code, uplinkErrorCodes.unreachable);
      assert.match(down.lastError.message, /127\.0\.0\.1/u);
      assert.deepEqual(await storedSeqs(server, unit), [1]);

      proxy.up();
      await waitFor(() => uplink.status().pending === 0, 60_000, 'the backlog delivered');
      const seqs = oneToN(1441);
      assert.deepEqual(await storedSeqs(server, unit), seqs, 'every event stored, seq 1…1441 with no gap');
      await waitFor(() => observer.seqs.length >= 1441, 15_000, 'the observer saw them all');
      assert.deepEqual(observer.seqs, seqs, 'on the wire: each event once, in order');
      assert.equal(journal.pending().acknowledged, journal.lastSeq);
      const back = uplink.status();
      assert.equal(back.connected, true);
      assert.equal(back.failures, 0);
      assert.equal(back.delivered, 1441);
      assert.ok(back.lastSuccessAt !== undefined && back.lastError !== undefined && back.lastSuccessAt > back.lastError.at);
      await waitFor(async () => (await unitStatus(server, unit)) === 'online', 15_000, 'online again');
    } finally {
      await uplink.close();
      await journal.close();
      await observer.close();
    }
    // A clean close says offline itself (the broker drops the will on DISCONNECT).
    await waitFor(async () => (await unitStatus(server, unit)) === 'offline', 15_000, 'offline after close');
  });

  it('times out and retries when the broker is up but no fleet server answers', async () => {
    const unit = freshUnit('unit-noserver');
    units.push(unit);
    await using dir = await tempDir();
    const hostClock = new SimulatedHostClock();
    const journal = await openJournal(dir.path, unit, hostClock);
    // Another topic prefix: no `fleet serve` reads it, so nothing answers on …/ack.
    const uplink = startUplink({ journal, unit, transport: { kind: 'mqtt', url: MQTT_URL, topicPrefix: `${prefix}/nobody` }, clock: scaledClock(0.001), timeoutMs: 300 });
    try {
      await journal.startBootSession('power-on');
      const status = await waitFor(async () => {
        const now = await uplink.flushNow();
        return now.lastError !== undefined && now;
      }, 15_000, 'a failed attempt');
      assert.equal(status.lastError?.code, uplinkErrorCodes.timeout);
      assert.match(status.lastError.hint ?? '', /fleet serve/u);
      assert.equal(status.acknowledged, 0);
      assert.equal(status.pending, 1);
    } finally {
      await uplink.close();
      await journal.close();
      await cleaner.publishAsync(unitTopic(`${prefix}/nobody`, unit, 'status'), '', { qos: 1, retain: true });
    }
  });
});
