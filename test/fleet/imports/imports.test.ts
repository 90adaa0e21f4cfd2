import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImportError, importProduction, importRework } from '../../../src/fleet/imports/index.js';
import type { FleetStore } from '../../../src/fleet/store/index.js';
import { storeEngines } from '../analytics/engines.js';
import { reworkLine } from '../analytics/seeded-fleet.js';

const HEADER = 'unit,batch,production_date,module_revision,imei,chip_serial';

async function refused(work: Promise<unknown>): Promise<ImportError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ImportError, `expected an ImportError, got ${String(error)}`);
  return error;
}

for (const engine of storeEngines) {
  describe(`imports on ${engine.name}`, () => {
    let store: FleetStore;
    let dispose: () => Promise<void>;
    before(async () => {
      ({ store, dispose } = await engine.open());
      await store.addUnit({ id: 'unit-1', credentialHash: 'x' });
      await store.addUnit({ id: '861234567890123', credentialHash: 'x' });
    });
    after(() => dispose());

    const count = async (table: string): Promise<number> => Number((await store.db.query(`SELECT count(*) AS n FROM ${table}`))[0]?.['n']);

    it('imports production records; a unit imported again is updated in the columns the new file has', async () => {
      const first = await importProduction(store.db, `${HEADER}\r\nunit-1,B7,2026-07-01,EC25EFAR06A01M4G,861234567890001,\r\n"unit-2","B 8, north",2026-07-02,,,A1B2C3D4\r\n`);
      assert.deepEqual(first, { rows: 2, inserted: 2, updated: 0, reworkLinked: 0 });
      const again = await importProduction(store.db, `unit,batch\nunit-1,B9\n`);
      assert.deepEqual(again, { rows: 1, inserted: 0, updated: 1, reworkLinked: 0 });
      const rows = await store.db.query("SELECT unit, batch, produced_on::text AS produced_on, serial FROM production_records ORDER BY unit");
      assert.deepEqual(rows, [
        { unit: 'unit-1', batch: 'B9', produced_on: '2026-07-01', serial: null },
        { unit: 'unit-2', batch: 'B 8, north', produced_on: '2026-07-02', serial: 'a1b2c3d4' },
      ]);
    });

    it('refuses a CSV with bad rows whole, naming every bad line', async () => {
      const before = await count('production_records');
      const error = await refused(importProduction(store.db, `${HEADER}\nunit-3,B1,2026-07-01,R,861234567890003,\nunit 4,B1,,,,\nunit-5,B1,2026-02-30,,,\nunit-6,B1,,,12345,\nunit-7,B1\nunit-3,B2,,,,\n`));
      assert.equal(error.code, 'FLEET_IMPORT_BAD_ROWS');
      assert.deepEqual(error.problems, [
        { line: 3, reason: 'unit "unit 4" is not a unit id (letters, digits, . _ : -, at most 64)' },
        { line: 4, reason: 'production_date "2026-02-30" is not a date YYYY-MM-DD' },
        { line: 5, reason: 'imei "12345" is not 15 digits' },
        { line: 6, reason: '2 fields where the header has 6' },
        { line: 7, reason: 'unit unit-3 again (first on line 2)' },
      ]);
      assert.match(error.message, /5 bad lines, nothing imported — line 3: /u);
      assert.ok(error.hint !== undefined);
      assert.equal(await count('production_records'), before, 'nothing half-imported');
    });

    it('refuses an empty file, a header without a unit column and an unknown column', async () => {
      assert.equal((await refused(importProduction(store.db, ''))).code, 'FLEET_IMPORT_MALFORMED');
      assert.match((await refused(importProduction(store.db, 'batch,imei\nB1,\n'))).message, /no unit column/u);
      assert.match((await refused(importProduction(store.db, 'unit,bacth\nu,B1\n'))).message, /unknown column "bacth"/u);
      assert.match((await refused(importProduction(store.db, 'unit,batch\n'))).message, /no rows/u);
      assert.deepEqual((await refused(importProduction(store.db, 'unit,batch\nu,"B1\n'))).problems, [{ line: 2, reason: 'a quoted field is not closed (a " is missing)' }]);
    });

    it('imports the rework log idempotently by record id and ties records to units by IMEI, chip serial or unit id', async () => {
      const byProductionImei = reworkLine('00000000-0000-4000-8000-00000000000a', '861234567890001');
      const byUnitId = reworkLine('00000000-0000-4000-8000-00000000000b', '861234567890123');
      const bySerial = JSON.stringify({ ...(JSON.parse(reworkLine('00000000-0000-4000-8000-00000000000c', 'x')) as object), unit: { serial: 'A1B2C3D4' } });
      const unknown = reworkLine('00000000-0000-4000-8000-00000000000d', '869999999999999');
      const first = await importRework(store.db, [byProductionImei, byUnitId, bySerial, unknown, byUnitId].join('\n'));
      assert.deepEqual(first, { records: 5, imported: 4, duplicates: 1, linked: 3, unlinked: ['00000000-0000-4000-8000-00000000000d'] });
      const again = await importRework(store.db, `${byProductionImei}\n`);
      assert.deepEqual(again, { records: 1, imported: 0, duplicates: 1, linked: 1, unlinked: [] });
      const units = Object.fromEntries((await store.db.query('SELECT id, unit FROM rework_records')).map((row) => [String(row['id']).slice(-1), row['unit']]));
      assert.deepEqual(units, { a: 'unit-1', b: '861234567890123', c: 'unit-2', d: null });
      // A production record naming the IMEI later ties the record then.
      const later = await importProduction(store.db, 'unit,imei\nunit-9,869999999999999\n');
      assert.equal(later.reworkLinked, 1);
    });

    it('refuses a rework log with a bad line whole, naming it', async () => {
      const before = await count('rework_records');
      const good = reworkLine('00000000-0000-4000-8000-0000000000e1', '861234567890001');
      const error = await refused(importRework(store.db, `${good}\n{"schema":2}\nnot json\n${good.replace('"verified"', '"exploded"')}\n`));
      assert.deepEqual(error.problems.map((problem) => problem.line), [2, 3, 4]);
      assert.match(error.problems[0]?.reason ?? '', /schema 2/u);
      assert.match(error.problems[2]?.reason ?? '', /outcome "exploded"/u);
      assert.equal(await count('rework_records'), before);
      assert.equal((await refused(importRework(store.db, '\n\n'))).code, 'FLEET_IMPORT_MALFORMED');
    });
  });
}
