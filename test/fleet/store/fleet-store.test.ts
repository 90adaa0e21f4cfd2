import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventDigest } from '../../../src/fleet/ingest/index.js';
import { createFleetStore, openPgExecutor, openPgliteExecutor, runMigrations, type SqlExecutor } from '../../../src/fleet/store/index.js';
import { eventOf, freshSchema, PG_URL } from '../fleet-fixture.js';

// The same store code and SQL on both engines: the reason for one SQL dialect (§2.5).
const engines: readonly { name: string; open: () => Promise<{ db: SqlExecutor; dispose: () => Promise<void> }> }[] = [
  {
    name: 'embedded PGlite',
    open: async () => {
      const db = await openPgliteExecutor(undefined);
      return { db, dispose: () => db.close() };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const schema = await freshSchema();
      const db = await openPgExecutor({ url: PG_URL, schema: schema.name });
      return { db, dispose: async () => { await db.close(); await schema.drop(); } };
    },
  },
];

for (const engine of engines) {
  describe(`fleet store on ${engine.name}`, () => {
    let db: SqlExecutor;
    let dispose: () => Promise<void>;
    before(async () => {
      ({ db, dispose } = await engine.open());
    });
    after(() => dispose());

    it('runs the migrations once and records them; a second start applies nothing', async () => {
      const first = await runMigrations(db);
      assert.deepEqual(first.applied, [1, 2]);
      const second = await runMigrations(db);
      assert.deepEqual(second, { applied: [], version: 2 });
      const rows = await db.query('SELECT version FROM schema_migrations');
      assert.equal(rows.length, 2);
    });

    it('stores an event once, tells a resend from a conflicting replay, and reads it back as sent', async () => {
      const store = createFleetStore(db);
      assert.equal(await store.addUnit({ id: 'unit-a', credentialHash: 'x', batch: 'B7', tags: ['north'] }), true);
      assert.equal(await store.addUnit({ id: 'unit-a', credentialHash: 'y' }), false);
      const events = [eventOf('unit-a', 1), eventOf('unit-a', 2)];
      const first = await store.insertEvents('unit-a', events.map((event) => ({ event, digest: eventDigest(event) })));
      assert.deepEqual(first, { accepted: [1, 2], duplicates: [], conflicts: [] });
      const changed = { ...eventOf('unit-a', 2), monoMs: 5 };
      const again = await store.insertEvents('unit-a', [events[0], changed].map((event) => ({ event: event as never, digest: eventDigest(event) })));
      assert.deepEqual(again, { accepted: [], duplicates: [1], conflicts: [2] });
      assert.deepEqual(await store.unitEvents('unit-a', { after: 0, limit: 10 }), events);
      assert.deepEqual(await store.unitEvents('unit-a', { after: 1, limit: 10 }), [events[1]]);
      const [unit] = await store.listUnits();
      assert.equal(unit?.id, 'unit-a');
      assert.equal(unit.batch, 'B7');
      assert.deepEqual(unit.tags, ['north']);
      assert.equal(unit.events, 2);
      assert.notEqual(unit.lastSeenAt, null);
    });

    it('adds refusal counts per unit and reason', async () => {
      const store = createFleetStore(db);
      await store.countRefusals([
        { unit: 'unit-a', reason: 'invalid-event', count: 1, detail: 'first' },
        { unit: 'unit-a', reason: 'invalid-event', count: 1, detail: 'second' },
        { unit: '', reason: 'unauthenticated', count: 1, detail: 'who?' },
      ]);
      await store.countRefusals([{ unit: 'unit-a', reason: 'invalid-event', count: 1, detail: 'third' }]);
      const stats = await store.stats();
      assert.deepEqual(stats.refusals, { 'invalid-event': 3, unauthenticated: 1 });
      assert.equal(stats.refusalsByUnit.find((row) => row.unit === 'unit-a')?.lastDetail, 'third');
      assert.equal(stats.events, 2);
      assert.equal(stats.units, 1);
    });

    it('records a unit going online and offline, and says when the unit is unknown', async () => {
      const store = createFleetStore(db);
      assert.equal(await store.setStatus('unit-a', 'online'), true);
      assert.equal((await store.stats()).online, 1);
      assert.equal(await store.setStatus('unit-a', 'offline'), true);
      assert.equal((await store.listUnits())[0]?.status, 'offline');
      assert.equal(await store.setStatus('nobody', 'online'), false);
    });
  });
}

describe('migrations on one PostgreSQL from two servers at once', () => {
  it('take turns under the advisory lock: both succeed, the schema is migrated once', async () => {
    await using schema = await freshSchema();
    const a = await openPgExecutor({ url: PG_URL, schema: schema.name });
    const b = await openPgExecutor({ url: PG_URL, schema: schema.name });
    try {
      const [first, second] = await Promise.all([runMigrations(a), runMigrations(b)]);
      assert.deepEqual([...first.applied, ...second.applied], [1, 2]);
      assert.equal(first.version, 2);
      assert.equal(second.version, 2);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
