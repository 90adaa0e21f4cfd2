import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger, MemoryLogger } from '../../../src/core/logger.js';
import { BudgetStore, budgetUse, parseAtPolicy, recordTransition } from '../../../src/guard/policy/index.js';
import { tempDir } from '../../helpers/wait.js';

const T0 = Date.parse('2026-11-24T08:00:00Z');

describe('the stored CFUN budget', () => {
  it('survives a restart: a new store reads back what the old one wrote', async () => {
    await using dir = await tempDir();
    const policy = parseAtPolicy({ cfun: { perHour: 2, perDay: 5 } }).cfun;
    const first = new BudgetStore(dir.path, silentLogger);
    let state = await first.load();
    state = recordTransition(state, T0);
    state = recordTransition(state, T0 + 1000);
    await first.save(state);
    const again = await new BudgetStore(dir.path, silentLogger).load();
    assert.deepEqual(again.transitions, [T0, T0 + 1000]);
    assert.equal(budgetUse(again, policy, T0 + 2000).available, false);
    assert.equal(budgetUse(again, policy, T0 + 3_600_001).available, true);
    // Written atomically: no temporary file is left behind.
    assert.deepEqual(await readdir(dir.path), ['cfun-budget.json']);
  });

  it('starts empty, with a warning, from a damaged file', async () => {
    await using dir = await tempDir();
    await writeFile(join(dir.path, 'cfun-budget.json'), '{"version":1,"transitions":[1,');
    const logger = new MemoryLogger();
    const state = await new BudgetStore(dir.path, logger).load();
    assert.deepEqual(state.transitions, []);
    assert.ok(logger.records.some((record) => record.level === 'warn' && record.message.includes('unreadable')));
  });
});
