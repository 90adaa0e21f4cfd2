import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BUDGET_FILE, BudgetStore } from '../../../src/guard/recovery/budget-store.js';
import { tempDir } from '../../helpers/wait.js';

const budgets = { 'cfun-reset': { max: 2, windowMs: 60_000 }, 'pwrkey-cycle': { max: 3, windowMs: 3_600_000 }, 'vbat-cycle': { max: 1, windowMs: 3_600_000 } };

describe('recovery budgets', () => {
  it('allow max runs in a sliding window, then refuse until the oldest leaves it', async () => {
    await using dir = await tempDir();
    let now = 1_000_000;
    const store = await BudgetStore.open(dir.path, budgets, { now: () => now });
    assert.deepEqual(await store.take('cfun-reset'), { allowed: true, left: 1 });
    now += 10_000;
    assert.deepEqual(await store.take('cfun-reset'), { allowed: true, left: 0 });
    const refused = await store.take('cfun-reset');
    assert.equal(refused.allowed, false);
    assert.equal(refused.nextAt, 1_060_000);
    now = 1_060_001;
    assert.equal((await store.take('cfun-reset')).allowed, true);
  });

  it('survive a restart: the runs are read back from the journal directory', async () => {
    await using dir = await tempDir();
    const now = (): number => 5_000_000;
    const first = await BudgetStore.open(dir.path, budgets, { now });
    await first.take('vbat-cycle');
    const second = await BudgetStore.open(dir.path, budgets, { now });
    assert.equal((await second.take('vbat-cycle')).allowed, false);
    assert.equal(second.left()['vbat-cycle'].left, 0);
    assert.equal(second.left()['pwrkey-cycle'].left, 3);
  });

  it('scale their windows with the time scale, like every duration of the configuration', async () => {
    await using dir = await tempDir();
    let now = 0;
    const store = await BudgetStore.open(dir.path, budgets, { now: () => now, timeScale: 0.001 });
    await store.take('vbat-cycle');
    now = 3601;
    assert.equal((await store.take('vbat-cycle')).allowed, true);
  });

  it('start empty, with a warning, from a damaged file', async () => {
    await using dir = await tempDir();
    await writeFile(join(dir.path, BUDGET_FILE), '{"steps": {"cfun-reset": [1, 2');
    const store = await BudgetStore.open(dir.path, budgets);
    assert.equal(store.left()['cfun-reset'].left, 2);
  });
});
