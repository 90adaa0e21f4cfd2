import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SimGpioLines, simAtPort, simPortPollMs } from '../../../src/cli/guard-sim-gpio.js';
import { readGuardStatus, runGuard, type GuardRunSummary } from '../../../src/guard/agent/index.js';
import type { ModuleState } from '../../../src/guard/agent/state-file.js';
import type { GuardConfig } from '../../../src/guard/config/config.js';
import type { JournalClock } from '../../../src/guard/journal/risk-journal.js';
import { parseGuardConfig } from '../../../src/guard/config/parse-config.js';
import { noGpioLines } from '../../../src/guard/gpio/usb-status.js';
import { PortAtChannel } from '../../../src/guard/power/at-channel.js';
import { scanSegment } from '../../../src/guard/journal/record-format.js';
import { listSegments } from '../../../src/guard/journal/segments.js';
import { readFile } from 'node:fs/promises';
import type { RiskEvent } from '../../../src/guard/events/event.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/simulator.js';
import { tempDir, waitFor } from '../../helpers/wait.js';
import { simGuardToml } from '../sim-guard.js';

async function events(dir: string): Promise<RiskEvent[]> {
  const all: RiskEvent[] = [];
  for (const segment of await listSegments(dir)) all.push(...scanSegment(await readFile(segment.path)).records.map((record) => record.event));
  return all;
}

interface RunningAgent {
  readonly sim: RunningSimulator;
  readonly config: GuardConfig;
  readonly states: ModuleState[];
  /** The agent's run; resolves with its summary once stopped. */
  readonly run: Promise<GuardRunSummary>;
  readonly stop: AbortController;
  [Symbol.asyncDispose](): Promise<void>;
}

/** An agent on a simulated module (off at first), as `medic guard` wires it with backend "sim", running until disposed. */
async function runningAgent(dir: string, options: { seed: number; extra: string; scenario?: string; clock?: JournalClock }): Promise<RunningAgent> {
  const timeScale = 0.002;
  const sim = await startSimulator({ timeScale, seed: options.seed, off: true, stateDir: join(dir, 'sim'), ...(options.scenario === undefined ? {} : { scenario: options.scenario }) });
  const stop = new AbortController();
  const config = parseGuardConfig(simGuardToml({ stateDir: sim.info.stateDir, journalDir: join(dir, 'journal'), timeScale, extra: options.extra }));
  assert.ok(config.gpio.backend === 'sim');
  const lines = await SimGpioLines.open(config.gpio, timeScale);
  const at = new PortAtChannel({ resolvePort: simAtPort(lines.client), pollMs: simPortPollMs(timeScale) });
  const states: ModuleState[] = [];
  const run = runGuard({ config, lines, at, onState: (state) => states.push(state), ...(options.clock === undefined ? {} : { clock: options.clock }) }, stop.signal);
  return {
    sim,
    config,
    states,
    run,
    stop,
    [Symbol.asyncDispose]: async () => {
      stop.abort('test over');
      await run.catch(() => undefined);
      await sim.stop();
    },
  };
}

const RECOVERY = `
[recovery]
probe_interval_s = 5
silent_after_probes = 2
retry_after_s = 86400
[recovery.budgets.cfun_reset]
max = 1
window_s = 2592000
[recovery.budgets.pwrkey_cycle]
max = 2
window_s = 2592000
[recovery.budgets.vbat_cycle]
max = 1
window_s = 2592000
[timings]
qpowd_timeout_ms = 5000
`;

describe('the guard agent', () => {
  it('climbs the ladder when AT goes silent, within its budgets, gives up, and still shuts down without an ungraceful cut', { timeout: 120_000 }, async () => {
    await using dir = await tempDir('medic-guard-agent-');
    await using agent = await runningAgent(dir.path, { seed: 3, extra: RECOVERY });
    const { sim, config, states } = agent;
    await waitFor(() => states.includes('running'), 30_000, 'the module running');
    await sim.control.addFault('at-silent');
    await waitFor(() => states.includes('gave-up'), 90_000, 'the ladder to give up');
    const status = await readGuardStatus(config);
    assert.equal(status.state?.module, 'gave-up');
    assert.deepEqual(Object.fromEntries(Object.entries(status.budgets).map(([step, budget]) => [step, budget.left])), { 'cfun-reset': 0, 'pwrkey-cycle': 1, 'vbat-cycle': 0 });
    agent.stop.abort('SIGTERM');
    const summary = await agent.run;
    assert.equal(summary.poweredDown, true);
    assert.equal(sim.state().mode, 'off');
    const wear = await sim.control.wear();
    assert.equal(wear.ungracefulCuts, 0);
    const recorded = await events(config.journal.dir);
    const steps = recorded.flatMap((event) => (event.type === 'recovery-step' ? [`${event.data.step}:${event.data.outcome}`] : []));
    assert.deepEqual(steps, ['cfun-reset:failed', 'pwrkey-cycle:failed', 'vbat-cycle:failed']);
    const last = recorded.slice(-2).map((event) => (event.type === 'agent-lifecycle' ? `${event.type}:${event.data.phase}` : event.type));
    assert.deepEqual(last, ['agent-lifecycle:stopping', 'shutdown-graceful']);
  });

  it('with backend "none" finds a running module by its USB, and stops it with AT+QPOWD only (no lines to drive)', { timeout: 60_000 }, async () => {
    await using dir = await tempDir('medic-guard-none-');
    const timeScale = 0.002;
    const sim = await startSimulator({ timeScale, seed: 4, stateDir: join(dir.path, 'sim') });
    try {
      await sim.waitFor((state) => state.mode === 'normal' && state.firmware.rdy, 20_000, 'boot');
      const port = sim.info.ports.at;
      assert.ok(port);
      const config = parseGuardConfig([
        'unit = "none-1"',
        '[journal]',
        `dir = ${JSON.stringify(join(dir.path, 'journal'))}`,
        '[module]',
        `at_port = ${JSON.stringify(port)}`,
        `sysfs_root = ${JSON.stringify(join(sim.info.stateDir, 'sys'))}`,
        '[gpio]',
        'backend = "none"',
      ].join('\n'));
      const at = new PortAtChannel({ resolvePort: () => Promise.resolve(port), pollMs: 20 });
      const stop = new AbortController();
      const states: ModuleState[] = [];
      const running = runGuard({ config, lines: noGpioLines, at, onState: (state) => states.push(state) }, stop.signal);
      await waitFor(() => states.includes('running'), 20_000, 'the module running');
      stop.abort('SIGINT');
      const summary = await running;
      assert.equal(summary.detail, 'powered off by qpowd');
      assert.equal(sim.state().mode, 'off');
      assert.equal((await sim.control.wear()).ungracefulCuts, 0);
      const recorded = await events(config.journal.dir);
      const first = recorded[0];
      assert.ok(first?.type === 'boot');
      assert.equal(first.data.reason, 'unknown');
      const shutdown = recorded.find((event) => event.type === 'shutdown-graceful');
      assert.ok(shutdown?.type === 'shutdown-graceful');
      assert.equal(shutdown.data.confirmedBy, 'powered-down-urc');
    } finally {
      await sim.stop();
    }
  });

  it('records a restart nobody asked for as a boot with reason unexpected-rdy', { timeout: 60_000 }, async () => {
    await using dir = await tempDir('medic-guard-crash-');
    await using agent = await runningAgent(dir.path, { seed: 8, extra: '[recovery]\nprobe_interval_s = 5' });
    const { sim, config, states } = agent;
    await waitFor(() => states.includes('running'), 30_000, 'the module running');
    await sim.control.addFault('unexpected-reset');
    const boot = await waitFor(async () => (await events(config.journal.dir)).find((event) => event.type === 'boot' && event.data.reason === 'unexpected-rdy'), 30_000, 'a boot with reason unexpected-rdy');
    assert.equal(boot.type, 'boot');
    const kinds = (await events(config.journal.dir)).filter((event) => event.type === 'boot').map((event) => event.data.reason);
    assert.deepEqual(kinds, ['power-on', 'unexpected-rdy']);
  });

  it('samples VBAT with AT+CBC and records a dip below the threshold', { timeout: 60_000 }, async () => {
    await using dir = await tempDir('medic-guard-vbat-');
    await using agent = await runningAgent(dir.path, { seed: 9, extra: '[recovery]\nprobe_interval_s = 5\n[vbat]\nsample_interval_s = 5\ndip_threshold_mv = 3700' });
    const { sim, config, states } = agent;
    await waitFor(() => states.includes('running'), 30_000, 'the module running');
    const sample = await waitFor(async () => (await events(config.journal.dir)).find((event) => event.type === 'vbat-sample'), 30_000, 'a VBAT sample');
    assert.ok(sample.data.mV > 3700, 'the bench supply is 3.8 V');
    // The radio was read before the first sample (guard-agent.ts #watch): a healthy +CFUN: 1 is not an event.
    assert.ok(!(await events(config.journal.dir)).some((event) => event.type === 'rf-disabled'));
    await sim.control.setVbat(3.6);
    const dip = await waitFor(async () => (await events(config.journal.dir)).find((event) => event.type === 'vbat-dip'), 30_000, 'a VBAT dip');
    assert.equal(dip.data.thresholdMv, 3700);
    assert.ok(dip.data.mV < 3700);
  });

  it('stamps its events with the clock it is given (the fleet demo\'s simulated days)', { timeout: 60_000 }, async () => {
    await using dir = await tempDir('medic-guard-clock-');
    const day = new Date('2031-03-04T07:00:00.000Z');
    let monoMs = 1000;
    const clock: JournalClock = { wallTime: () => day, monoMs: () => (monoMs += 1) };
    await using agent = await runningAgent(dir.path, { seed: 10, extra: '[recovery]\nprobe_interval_s = 5', clock });
    await waitFor(() => agent.states.includes('running'), 30_000, 'the module running');
    agent.stop.abort('test over');
    await agent.run;
    const recorded = await events(agent.config.journal.dir);
    assert.deepEqual(recorded.map((event) => event.type).filter((type) => type === 'boot' || type === 'shutdown-graceful'), ['boot', 'shutdown-graceful']);
    assert.deepEqual([...new Set(recorded.map((event) => event.wallTime))], [day.toISOString()]);
    assert.ok(recorded.every((event) => event.monoMs > 1000 && event.monoMs < 1000 + recorded.length + 10), 'monotonic time from the given clock');
  });

  for (const [scenario, level] of [['calibration-lost', 5], ['wrong-baseline', 7]] as const) {
    it(`records rf-disabled after a boot into +CFUN: ${level} (${scenario}), once per boot`, { timeout: 60_000 }, async () => {
      await using dir = await tempDir('medic-guard-rf-');
      await using agent = await runningAgent(dir.path, { seed: 12, extra: '[recovery]\nprobe_interval_s = 5', scenario });
      const { sim, config, states } = agent;
      await waitFor(() => states.includes('running'), 30_000, 'the module running');
      const disabled = await waitFor(async () => (await events(config.journal.dir)).find((event) => event.type === 'rf-disabled'), 30_000, 'an rf-disabled event');
      assert.equal(disabled.data.level, level);
      assert.equal(disabled.data.reason, scenario);
      const boot = (await events(config.journal.dir)).find((event) => event.type === 'boot');
      assert.equal(disabled.bootSession, boot?.bootSession, 'recorded in the session of the boot it follows');
      // A restart nobody asked for is a new boot: read again, recorded again.
      await sim.control.addFault('unexpected-reset');
      await waitFor(async () => (await events(config.journal.dir)).filter((event) => event.type === 'rf-disabled').length === 2, 30_000, 'an rf-disabled event after the restart');
      // Probes go on; the radio is read once per boot, not once per probe.
      await new Promise((resolve) => setTimeout(resolve, 5000 * 0.002 * 4));
      const recorded = await events(config.journal.dir);
      assert.deepEqual(new Set(recorded.filter((event) => event.type === 'rf-disabled').map((event) => event.bootSession)).size, 2);
      assert.equal(recorded.filter((event) => event.type === 'rf-disabled').length, 2);
    });
  }
});
