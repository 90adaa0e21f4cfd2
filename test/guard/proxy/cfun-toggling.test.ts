// Issue #5's test: an application that toggles CFUN every second for a simulated hour. The
// traffic goes through real ptys to the simulator; only the guard's clock is simulated (1 s per
// toggle), so the budget sees an hour while the test takes seconds.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { RiskEvent } from '../../../src/guard/events/event.js';
import { parseAtPolicy } from '../../../src/guard/policy/index.js';
import { atPortOf, bootedSimulator } from '../../helpers/booted-sim.js';
import { SimAtPort } from '../../helpers/sim-at-port.js';
import { proxyFixture, type ManualClock, type ProxyFixture } from './proxy-fixture.js';

const HOUR_MS = 3_600_000;

/** Toggles 0/1 once per simulated second until the clock has run an hour; returns how many were sent. */
async function toggleForAnHour(app: SimAtPort, clock: ManualClock): Promise<{ sent: number; ok: number; refused: number }> {
  const end = clock.now() + HOUR_MS;
  let level = 0;
  let sent = 0;
  let ok = 0;
  let refused = 0;
  while (clock.now() < end) {
    const answer = await app.command(`AT+CFUN=${level}`);
    sent += 1;
    if (answer.endsWith('\r\nOK\r\n')) ok += 1;
    else refused += 1;
    level = level === 0 ? 1 : 0;
    clock.advance(1000);
  }
  return { sent, ok, refused };
}

function cfunEvents(events: readonly RiskEvent[], decision: string): number {
  return events.filter((event) => event.type === 'cfun-transition' && event.data.decision === decision).length;
}

describe('an application toggling CFUN every second for a simulated hour', () => {
  const fixtures: ProxyFixture[] = [];
  after(async () => {
    await Promise.all(fixtures.map((fixture) => fixture.close()));
  });

  for (const beyondBudget of ['refuse', 'coalesce'] as const) {
    it(`through the guard (${beyondBudget} beyond the budget): the module sees at most the budget`, async () => {
      const policy = parseAtPolicy({ cfun: { perHour: 6, perDay: 30, beyondBudget } });
      const f = await proxyFixture({ policy, apps: [{ name: 'toggler' }] });
      fixtures.push(f);
      const app = await f.app();
      const before = await f.sim.control.wear();
      const run = await toggleForAnHour(app, f.clock);
      const wear = await f.sim.control.wear();
      assert.equal(run.sent, 3600);
      assert.ok(wear.cfunTransitions - before.cfunTransitions <= 6, `the module saw ${wear.cfunTransitions - before.cfunTransitions} CFUN changes`);
      assert.ok(wear.nvWrites - before.nvWrites <= 6, `the module saw ${wear.nvWrites - before.nvWrites} NV writes`);
      const events = await f.events();
      assert.equal(cfunEvents(events, 'allowed'), wear.cfunTransitions - before.cfunTransitions);
      if (beyondBudget === 'refuse') {
        // Beyond the budget a change is refused; a set to the level the module is already at is
        // answered OK without touching it (every other toggle, once the budget is spent).
        assert.ok(run.refused >= 1790, `${run.refused} refused`);
        assert.equal(cfunEvents(events, 'refused'), run.refused);
        assert.equal(cfunEvents(events, 'coalesced'), run.ok - 6);
        assert.match(app.text, /\+MEDIC: refused, CFUN budget 6\/h used, next allowed in \d+ (s|min)\r\n\r\nERROR\r\n/);
      } else {
        // Every toggle is answered OK; the pairs beyond the budget cancel out inside the window.
        assert.equal(run.ok, 3600);
        assert.ok(cfunEvents(events, 'coalesced') >= 3600 - 12);
      }
    });
  }

  it('through the guard (delay beyond the budget): held requests go through as the budget frees', async () => {
    const policy = parseAtPolicy({ cfun: { perHour: 6, perDay: 30, beyondBudget: 'delay', maxDelayMs: 15 * 60_000 } });
    const f = await proxyFixture({ policy, apps: [{ name: 'toggler' }] });
    fixtures.push(f);
    const app = await f.app();
    const before = await f.sim.control.wear();
    await toggleForAnHour(app, f.clock);
    const wear = await f.sim.control.wear();
    const events = await f.events();
    const made = events.filter((event) => event.type === 'cfun-transition' && (event.data.decision === 'allowed' || event.data.decision === 'delayed'));
    assert.equal(made.length, wear.cfunTransitions - before.cfunTransitions);
    assert.ok(cfunEvents(events, 'delayed') > 0, 'some requests were delayed');
    // In every sliding hour (of the guard's clock, as stored in the budget file) at most the budget.
    const stored = JSON.parse(await readFile(join(f.dir, 'cfun-budget.json'), 'utf8')) as { transitions: number[] };
    assert.equal(stored.transitions.length, made.length);
    for (const start of stored.transitions) {
      assert.ok(stored.transitions.filter((at) => at >= start && at < start + HOUR_MS).length <= 6);
    }
  });

  it('without the guard, the same toggling reaches the module every time', async () => {
    const sim = await bootedSimulator({ timeScale: 0.005 });
    const app = await SimAtPort.open(atPortOf(sim));
    try {
      const before = await sim.control.wear();
      // The first 300 toggles (five minutes of the app's hour) straight to the module: every one
      // is a CFUN change and an NV write, 3600 an hour at this rate, against a budget of 6.
      for (let i = 0; i < 300; i++) await app.command(`AT+CFUN=${i % 2 === 0 ? 0 : 1}`);
      const wear = await sim.control.wear();
      assert.equal(wear.cfunTransitions - before.cfunTransitions, 300);
      assert.equal(wear.nvWrites - before.nvWrites, 300);
    } finally {
      await app.close();
    }
  });
});
