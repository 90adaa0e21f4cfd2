import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFleetAnalytics, type FleetAnalytics } from '../../../src/fleet/analytics/index.js';
import { importProduction, importRework } from '../../../src/fleet/imports/index.js';
import type { FleetStore } from '../../../src/fleet/store/index.js';
import { storeEngines } from './engines.js';
import { addEvents, AS_OF, at, productionCsv, reworkLine, seedFleet } from './seeded-fleet.js';

for (const engine of storeEngines) {
  describe(`fleet analytics on ${engine.name}`, () => {
    let store: FleetStore;
    let dispose: () => Promise<void>;
    let analytics: FleetAnalytics;
    before(async () => {
      ({ store, dispose } = await engine.open());
      await seedFleet(store);
      await importProduction(store.db, productionCsv());
      await importRework(store.db, `${reworkLine('5f0c1a2e-0000-4000-8000-000000000001', '861000000002001')}\n`);
      analytics = createFleetAnalytics(store.db, { asOf: AS_OF });
    });
    after(() => dispose());

    it('scores a unit with its reasons: each factor\'s count, rate and points', async () => {
      const unit = await analytics.unitRisk('cut-10');
      assert.ok(unit);
      const [top] = unit.reasons;
      assert.deepEqual(
        { factor: top?.factor, count: top?.count, rate: top?.rate, per: top?.per, contribution: top?.contribution },
        // 6 in the 29.5 days it was observed = 6.1 a month; 30 points at 10 a month, so 18.3.
        { factor: 'power-loss', count: 6, rate: 6.1, per: 'month', contribution: 18.3 },
      );
      assert.equal(unit.score, 18);
      assert.equal(unit.health, 'ok');
      assert.equal(unit.reasons.length, 6);
      assert.ok(unit.reasons.every((reason) => reason.why.length > 0));
      assert.equal(unit.revision, 'EC25EFAR06A01M4G');
      assert.equal(unit.batch, 'P2', 'the production record names the batch');
    });

    it('counts a unit found in EDL as failed, with the EDL points in its score', async () => {
      const unit = await analytics.unitRisk('cut-03');
      assert.ok(unit);
      assert.equal(unit.health, 'failed');
      assert.deepEqual(unit.failures, ['found in EDL 9008']);
      assert.equal(unit.reasons.find((reason) => reason.factor === 'edl')?.contribution, 10);
      assert.equal(unit.score, 28);
    });

    it('calls a unit silent after N days without an event, and silent counts as failed', async () => {
      const unit = await analytics.unitRisk('ok-00');
      assert.ok(unit);
      assert.equal(unit.silent, true);
      assert.equal(unit.health, 'silent');
      assert.deepEqual(unit.failures, ['silent for 10 days']);
      const lenient = await analytics.unitRisk('ok-00', { silentDays: 14 });
      assert.equal(lenient?.silent, false, 'silentDays is configurable');
    });

    it('counts a flash in the imported rework log as a reflash of the unit with that IMEI', async () => {
      const unit = await analytics.unitRisk('ok-01');
      assert.equal(unit?.reflashes, 1);
      assert.equal(unit.health, 'failed');
      assert.deepEqual(unit.failures, ['reflashed 1× (rework log)']);
    });

    it('answers undefined for an unknown unit', async () => {
      assert.equal(await analytics.unitRisk('nobody'), undefined);
    });

    it('computes the failure-rate ratio by risk factor with the counts behind it', async () => {
      const analysis = await analytics.analysis();
      assert.equal(analysis.units, 40, 'the unit never heard from is left out');
      assert.equal(analysis.failed, 8);
      const power = analysis.byFactor.find((row) => row.factor === 'power-loss');
      assert.ok(power);
      assert.deepEqual(power.atOrAbove, { units: 20, failed: 6, rate: 0.3 });
      assert.deepEqual(power.below, { units: 20, failed: 2, rate: 0.1 });
      assert.ok(power.ratio !== null && Math.abs(power.ratio - 3) < 1e-9);
      assert.equal(power.evidence, 'fair');
      assert.equal(power.finding, 'units with ≥ 5 ungraceful power losses a month failed 3.0× as often (6 of 20 vs 2 of 20)');
      assert.equal(analysis.byFactor[0]?.factor, 'power-loss', 'the strongest factor comes first');
      const reboots = analysis.byFactor.find((row) => row.factor === 'unexpected-reboot');
      assert.equal(reboots?.ratio, null);
      assert.equal(reboots.evidence, 'none');
      assert.equal(analysis.byFactor.some((row) => row.factor === 'edl'), false, 'EDL is the failure itself: no correlation');
    });

    it('breaks the failure rate down by firmware revision and production batch', async () => {
      const analysis = await analytics.analysis();
      const byRevision = Object.fromEntries(analysis.byRevision.map((row) => [row.group, [row.failed, row.units]]));
      assert.deepEqual(byRevision, { EC25EFAR06A01M4G: [6, 20], EC25EFAR06A03M4G: [2, 20] });
      const byBatch = Object.fromEntries(analysis.byBatch.map((row) => [row.group, [row.failed, row.units]]));
      // P1: cut-00…09 (6 in EDL) and ok-00…09 (silent, reflashed); P2: the rest, none failed.
      assert.deepEqual(byBatch, { P1: [8, 20], P2: [0, 20] });
      assert.equal(analysis.byBatch.find((row) => row.group === 'P2')?.ratioToRest, 0);
    });

    it('gives the overview counts and filters by batch, revision, tag, status and search', async () => {
      const overview = await analytics.overview();
      assert.deepEqual(overview.counts, { units: 41, online: 0, offline: 0, silent: 1, atRisk: 0, failed: 8, needsReflash: 7, neverSeen: 1 });
      assert.equal(overview.units[0]?.health, 'failed', 'worst first');
      assert.deepEqual(overview.facets.batches, ['P1', 'P2']);
      const ids = async (filter: Parameters<FleetAnalytics['overview']>[0]): Promise<string[]> => (await analytics.overview(filter)).units.map((unit) => unit.id).sort();
      assert.equal((await ids({ batch: 'P2', tag: 'north' })).length, 5);
      assert.deepEqual(await ids({ status: 'silent' }), ['ok-00']);
      assert.deepEqual(await ids({ status: 'never-seen' }), ['never-00']);
      assert.equal((await ids({ revision: 'EC25EFAR06A03M4G' })).length, 20);
      assert.deepEqual(await ids({ q: 'CUT-1' }), ['cut-10', 'cut-11', 'cut-12', 'cut-13', 'cut-14', 'cut-15', 'cut-16', 'cut-17', 'cut-18', 'cut-19']);
      assert.deepEqual(await ids({ q: '861000000002005' }), ['ok-05'], 'search finds the IMEI of the production record');
    });

    it('reuses fleet-wide results for cacheSeconds, and never for a call with its own asOf', async () => {
      const cached = createFleetAnalytics(store.db, {}, { cacheSeconds: 3600 });
      const first = await cached.overview();
      await store.addUnit({ id: 'late-00', credentialHash: 'x' });
      const second = await cached.overview();
      assert.equal(second.counts.units, first.counts.units);
      assert.equal(second.asOf, first.asOf, 'the page says how old its numbers are');
      assert.equal((await cached.overview({}, { asOf: AS_OF })).counts.units, first.counts.units + 1);
      assert.ok(await cached.unitRisk('late-00'), 'one unit is always read fresh');
    });

    it('reads a unit\'s history: VBAT series, boots and rework', async () => {
      await store.addUnit({ id: 'hist-1', credentialHash: 'x' });
      await addEvents(store, 'hist-1', [
        [3, { type: 'boot', data: { reason: 'unexpected-rdy' } }],
        [2.5, { type: 'vbat-sample', data: { mV: 3700 } }],
        [2.4, { type: 'vbat-dip', data: { mV: 3200, thresholdMv: 3300 } }],
        [2, { type: 'vbat-sample', data: { mV: 3750 } }],
        [1, { type: 'cfun-transition', data: { to: 0, by: 'connman', decision: 'allowed' } }],
        [1, { type: 'cfun-transition', data: { to: 1, by: 'connman', decision: 'refused' } }],
      ]);
      const history = await analytics.unitHistory('hist-1');
      assert.deepEqual(history.vbat, [{ at: at(2.5), mV: 3700 }, { at: at(2), mV: 3750 }]);
      assert.deepEqual(history.dips, [{ at: at(2.4), mV: 3200 }]);
      assert.deepEqual(history.boots.map((boot) => boot.reason), ['unexpected-rdy']);
      assert.deepEqual(history.cfunPerDay, [{ day: at(1).slice(0, 10), toggles: 1 }], 'only allowed transitions toggle');
      assert.equal(history.events[0]?.type, 'cfun-transition', 'newest first');
      assert.equal((await analytics.unitHistory('ok-01')).rework[0]?.outcome, 'verified');
    });
  });
}
