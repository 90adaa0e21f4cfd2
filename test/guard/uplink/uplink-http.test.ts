import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registerUnit, startFleetServer, type FleetServer } from '../../../src/fleet/index.js';
import { startUplink, uplinkErrorCodes } from '../../../src/guard/uplink/index.js';
import { tempDir, waitFor } from '../../helpers/wait.js';
import { appendSamples, freshUnit, oneToN, openJournal, scaledClock, SimulatedHostClock, startTcpProxy, storedSeqs, type TcpProxy } from './uplink-fixture.js';

// HTTP mode: POST /api/v1/events of a real `fleet serve` (in-memory PGlite store).

describe('uplink over HTTP to a fleet server', () => {
  let server: FleetServer;
  let proxy: TcpProxy;
  const unitA = freshUnit('unit-http');
  const unitB = freshUnit('unit-http');
  const unitC = freshUnit('unit-http');
  const secrets = new Map<string, string>();

  before(async () => {
    server = await startFleetServer({ port: 0, mqttPort: 0, adminToken: 'uplink-test-token' });
    for (const unit of [unitA, unitB, unitC]) secrets.set(unit, (await registerUnit(server.store, { id: unit })).secret);
    const http = new URL(server.http);
    proxy = await startTcpProxy({ host: http.hostname, port: Number(http.port) });
  });
  after(async () => {
    await proxy.close();
    await server.close();
  });

  it('delivers the journal in batches, survives the server going away, and acknowledges what was stored', async () => {
    await using dir = await tempDir();
    const hostClock = new SimulatedHostClock();
    const journal = await openJournal(dir.path, unitA, hostClock);
    await journal.startBootSession('power-on');
    await appendSamples(journal, hostClock, { count: 49, everyMs: 60_000 });
    const uplink = startUplink({ journal, unit: unitA, transport: { kind: 'http', url: `http://127.0.0.1:${proxy.port}`, secret: secrets.get(unitA) ?? '' }, batchMax: 7, clock: scaledClock(0.001) });
    try {
      await waitFor(() => uplink.status().pending === 0, 30_000, '50 events delivered');
      assert.deepEqual(await storedSeqs(server, unitA), oneToN(50));
      assert.equal(uplink.status().connected, true);

      proxy.down();
      await appendSamples(journal, hostClock, { count: 30, everyMs: 60_000 });
      const down = await waitFor(async () => {
        const status = await uplink.flushNow();
        return status.failures > 0 && status;
      }, 15_000, 'a failed attempt');
      assert.equal(down.lastError?.code, uplinkErrorCodes.unreachable);
      assert.equal(down.connected, false);
      assert.equal(down.acknowledged, 50);

      proxy.up();
      await waitFor(() => uplink.status().pending === 0, 30_000, 'the 30 delivered');
      assert.deepEqual(await storedSeqs(server, unitA), oneToN(80));
      assert.equal(journal.pending().acknowledged, 80);
    } finally {
      await uplink.close();
      await journal.close();
    }
  });

  it('goes past events the server refuses one by one (a wiped journal reusing seqs) instead of blocking behind them', async () => {
    // The server holds seq 1…80 of unitA from the test above; a fresh journal starts again at 1.
    await using dir = await tempDir();
    const hostClock = new SimulatedHostClock();
    const journal = await openJournal(dir.path, unitA, hostClock);
    await journal.startBootSession('requested-reset');
    await appendSamples(journal, hostClock, { count: 2, everyMs: 1000 });
    const uplink = startUplink({ journal, unit: unitA, transport: { kind: 'http', url: server.http, secret: secrets.get(unitA) ?? '' }, clock: scaledClock(0.001) });
    try {
      await waitFor(() => uplink.status().pending === 0, 15_000, 'the batch answered');
      const status = uplink.status();
      assert.equal(status.acknowledged, 3);
      assert.equal(status.skipped, 3);
      assert.equal(status.lastRefusal?.reason, 'seq-conflict');
      assert.equal(status.lastRefusal.seq, 3);
      assert.equal(status.failures, 0);
      assert.deepEqual(await storedSeqs(server, unitA), oneToN(80), 'the stored events stay');
    } finally {
      await uplink.close();
      await journal.close();
    }
  });

  it('halves its batches when the server says they are too large', async () => {
    const small = await startFleetServer({ port: 0, mqttPort: 0, adminToken: 'uplink-test-token', limits: { maxBytes: 1024 * 1024, maxEvents: 10 } });
    await using dir = await tempDir();
    const hostClock = new SimulatedHostClock();
    const journal = await openJournal(dir.path, unitA, hostClock);
    const { secret } = await registerUnit(small.store, { id: unitA });
    await journal.startBootSession('power-on');
    await appendSamples(journal, hostClock, { count: 59, everyMs: 1000 });
    const uplink = startUplink({ journal, unit: unitA, transport: { kind: 'http', url: small.http, secret }, batchMax: 100, clock: scaledClock(0.001) });
    try {
      await waitFor(() => uplink.status().pending === 0, 15_000, '60 events delivered');
      assert.deepEqual(await storedSeqs(small, unitA), oneToN(60));
      assert.equal(uplink.status().failures, 0);
    } finally {
      await uplink.close();
      await journal.close();
      await small.close();
    }
  });

  it('credentials of another unit: the server refuses (unit-mismatch), nothing is acknowledged, it retries with backoff', async () => {
    await using dir = await tempDir();
    const journal = await openJournal(dir.path, unitC);
    await journal.startBootSession('power-on');
    const clock = scaledClock(0.001);
    const uplink = startUplink({ journal, unit: unitB, transport: { kind: 'http', url: server.http, secret: secrets.get(unitB) ?? '' }, clock, retry: { minMs: 500, maxMs: 4000 } });
    try {
      await waitFor(() => uplink.status().failures >= 5, 30_000, 'five refused attempts');
      const status = uplink.status();
      assert.equal(status.lastError?.code, uplinkErrorCodes.refused);
      assert.match(status.lastError.message, /unit-mismatch/u);
      assert.ok(status.lastError.hint?.includes(unitC) === true && status.lastError.hint.includes(unitB), status.lastError.hint);
      assert.equal(status.connected, true, 'the server is reachable: it is the configuration');
      assert.equal(status.acknowledged, 0);
      assert.equal(status.pending, 1);
      const waits = clock.waits.slice(0, 4);
      [500, 1000, 2000, 4000].forEach((step, index) => {
        const wait = waits[index] ?? 0;
        assert.ok(wait >= step / 2 && wait <= step, `wait ${index + 1}: ${wait} ms within ${step / 2}…${step}`);
      });
      assert.deepEqual(await storedSeqs(server, unitC), []);
      assert.deepEqual(await storedSeqs(server, unitB), []);
    } finally {
      await uplink.close();
      await journal.close();
    }
  });

  it('a wrong secret: unauthenticated, with a hint to check the secret', async () => {
    await using dir = await tempDir();
    const journal = await openJournal(dir.path, unitB);
    await journal.startBootSession('power-on');
    const uplink = startUplink({ journal, unit: unitB, transport: { kind: 'http', url: server.http, secret: 'wrong-secret-wrong-secret' }, clock: scaledClock(0.001) });
    try {
      const status = await waitFor(async () => {
        const now = await uplink.flushNow();
        return now.failures > 0 && now;
      }, 15_000, 'a refused attempt');
      assert.equal(status.lastError?.code, uplinkErrorCodes.unauthenticated);
      assert.match(status.lastError.hint ?? '', /secret/u);
      assert.equal(status.acknowledged, 0);
      assert.deepEqual(await storedSeqs(server, unitB), []);
    } finally {
      await uplink.close();
      await journal.close();
    }
  });
});
