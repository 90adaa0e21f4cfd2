import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registerUnit, startFleetServer, type FleetServer } from '../../../src/fleet/index.js';
import { startUplink, unitTopic, uplinkErrorCodes } from '../../../src/guard/uplink/index.js';
import { tempDir, waitFor } from '../../helpers/wait.js';
import { appendSamples, freshUnit, observeEvents, oneToN, openJournal, scaledClock, SimulatedHostClock, storedSeqs, unitStatus } from './uplink-fixture.js';

// `medic fleet serve` with no options: the embedded aedes broker (a unit logs in with its id and
// secret) and the in-memory PGlite store.

describe('uplink to the embedded broker of a fleet server', () => {
  let server: FleetServer;
  let secrets: Map<string, string>;
  const unitA = freshUnit('unit-emb');
  const unitB = freshUnit('unit-emb');

  before(async () => {
    server = await startFleetServer({ port: 0, mqttPort: 0, adminToken: 'uplink-test-token' });
    secrets = new Map([
      [unitA, (await registerUnit(server.store, { id: unitA })).secret],
      [unitB, (await registerUnit(server.store, { id: unitB })).secret],
    ]);
  });
  after(async () => {
    await server.close();
  });

  const mqttOf = (unit: string, password: string) => ({ kind: 'mqtt' as const, url: server.mqtt, username: unit, password });

  it('the guard restarted mid-backlog: every event still arrives once, in order', async () => {
    const secret = secrets.get(unitA) ?? '';
    await using dir = await tempDir();
    const hostClock = new SimulatedHostClock();
    let journal = await openJournal(dir.path, unitA, hostClock);
    await journal.startBootSession('power-on');
    await appendSamples(journal, hostClock, { count: 1999, everyMs: 10 * 60_000 });
    const observer = await observeEvents(server.mqtt, unitTopic('medic/v1', unitA, 'events'), { username: unitA, password: secret });
    const options = { unit: unitA, transport: mqttOf(unitA, secret), batchMax: 5, clock: scaledClock(0.001) };
    let uplink = startUplink({ journal, ...options });
    try {
      await waitFor(async () => (await unitStatus(server, unitA)) === 'online', 15_000, 'online');
      await waitFor(() => uplink.status().acknowledged >= 50, 30_000, 'part of the backlog delivered');
      await uplink.close();
      const cut = journal.pending().acknowledged;
      assert.ok(cut > 0 && cut < 2000, `stopped mid-backlog at ${cut}`);
      assert.deepEqual(await storedSeqs(server, unitA), oneToN(cut), 'the server has exactly what was acknowledged');
      await waitFor(async () => (await unitStatus(server, unitA)) === 'offline', 15_000, 'offline after a clean close');

      await journal.close();
      journal = await openJournal(dir.path, unitA, hostClock);
      assert.equal(journal.openReport.acknowledged, cut, 'the cursor survived the restart');
      uplink = startUplink({ journal, ...options, batchMax: 100 });
      await waitFor(() => uplink.status().pending === 0, 60_000, 'the rest delivered');
      assert.deepEqual(await storedSeqs(server, unitA), oneToN(2000));
      await waitFor(() => observer.seqs.length >= 2000, 15_000, 'the observer saw them all');
      assert.deepEqual(observer.seqs, oneToN(2000), 'on the wire: each event once, in order');
      assert.equal(uplink.status().delivered, 2000 - cut);
    } finally {
      await uplink.close();
      await journal.close();
      await observer.close();
    }
  });

  it('a wrong secret: a clear error, nothing acknowledged, retries with growing delays', async () => {
    await using dir = await tempDir();
    const hostClock = new SimulatedHostClock();
    const journal = await openJournal(dir.path, unitB, hostClock);
    await journal.startBootSession('power-on');
    await appendSamples(journal, hostClock, { count: 9, everyMs: 60_000 });
    const clock = scaledClock(0.001);
    const uplink = startUplink({ journal, unit: unitB, transport: mqttOf(unitB, 'not-the-secret-of-this-unit'), clock, retry: { minMs: 1000, maxMs: 8000 } });
    try {
      await waitFor(() => uplink.status().failures >= 6, 30_000, 'six failed attempts');
      const status = uplink.status();
      assert.equal(status.lastError?.code, uplinkErrorCodes.unauthenticated);
      assert.match(status.lastError.message, new RegExp(`refused the login of unit "${unitB}"`, 'u'));
      assert.match(status.lastError.hint ?? '', /secret/u);
      assert.equal(status.connected, false);
      assert.equal(status.acknowledged, 0);
      assert.equal(status.pending, 10);
      // The waits between attempts: each within [half, all] of a step that doubles up to maxMs.
      const waits = clock.waits.slice(0, 5);
      [1000, 2000, 4000, 8000, 8000].forEach((step, index) => {
        const wait = waits[index] ?? 0;
        assert.ok(wait >= step / 2 && wait <= step, `wait ${index + 1}: ${wait} ms within ${step / 2}…${step}`);
      });
      assert.deepEqual(await storedSeqs(server, unitB), []);
    } finally {
      await uplink.close();
      await journal.close();
    }
  });

  it('refuses bad options before it starts', async () => {
    await using dir = await tempDir();
    const journal = await openJournal(dir.path, unitB);
    try {
      const base = { journal, unit: unitB, transport: mqttOf(unitB, 'x') };
      for (const bad of [{ batchMax: 0 }, { batchMax: 1.5 }, { timeoutMs: -1 }, { pollMs: Number.NaN }, { retry: { minMs: 10, maxMs: 1 } }, { unit: 'no/slash' }]) {
        assert.throws(() => startUplink({ ...base, ...bad }), (error: unknown) => (error as { code?: string }).code === uplinkErrorCodes.options, JSON.stringify(bad));
      }
      assert.throws(() => startUplink({ ...base, transport: { kind: 'http', url: 'not a url', secret: 'x' } }), (error: unknown) => (error as { code?: string }).code === uplinkErrorCodes.options);
    } finally {
      await journal.close();
    }
  });
});
