import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstDayOf } from './demo-clock.js';
import { runDemoUnit, type DemoUnitOutcome } from './demo-unit.js';
import { startDemoFleet, type DemoFleet, type DemoUnitPlan } from './fleet-setup.js';
import { fetchAnalysis, summarise, type DemoSummary } from './summary.js';
import { Technician } from './technician.js';

// `medic fleet demo`: the fleet server, then every unit's simulated months, a few units at a time
// (each is a simulator and a guard; the machine has few cores), then the analysis.

export interface FleetDemoOptions {
  readonly units: number;
  readonly days: number;
  readonly seed: number;
  readonly port: number;
  readonly timeScale: number;
  readonly parallel: number;
  readonly onProgress: (message: string) => void;
}

export interface FleetDemoRun {
  readonly fleet: DemoFleet;
  readonly outcomes: readonly DemoUnitOutcome[];
  readonly failures: readonly { readonly unit: string; readonly error: string }[];
  readonly summary: DemoSummary;
  readonly seconds: number;
  /** Stops the server and removes the simulated units' files. */
  close(): Promise<void>;
}

export async function runFleetDemo(options: FleetDemoOptions): Promise<FleetDemoRun> {
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'medic-fleet-demo-'));
  const firstDay = firstDayOf(options.days);
  let fleet: DemoFleet | undefined;
  try {
    fleet = await startDemoFleet({ port: options.port, count: options.units, seed: options.seed, firstDay });
    const running = fleet;
    const technician = new Technician(join(dir, 'packages'));
    const outcomes: DemoUnitOutcome[] = [];
    const failures: { unit: string; error: string }[] = [];
    const queue = [...running.units];
    const worker = async (): Promise<void> => {
      for (let unit = queue.shift(); unit !== undefined; unit = queue.shift()) {
        const plan: DemoUnitPlan = unit;
        options.onProgress(`${plan.id} (${plan.habit}): starting`);
        try {
          const outcome = await runDemoUnit(plan, {
            dir,
            timeScale: options.timeScale,
            firstDay,
            days: options.days,
            serverUrl: running.server.http,
            technician,
            onRework: (line) => running.importRework(line),
            onProgress: (spec, message) => {
              options.onProgress(`${spec.id} (${spec.habit}): ${message}`);
            },
          });
          outcomes.push(outcome);
          options.onProgress(`${plan.id} (${plan.habit}): done, ${outcome.events} events, ${outcome.wear.ungracefulCuts} ungraceful cuts, ${outcome.wear.brownouts} brown-outs, ${outcome.reflashes} reflash(es)`);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failures.push({ unit: plan.id, error: message });
          options.onProgress(`${plan.id} (${plan.habit}): stopped: ${message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel, running.units.length)) }, () => worker()));
    const summary = summarise(await fetchAnalysis(running.server.http, running.server.adminToken));
    outcomes.sort((a, b) => a.id.localeCompare(b.id));
    return {
      fleet: running,
      outcomes,
      failures,
      summary,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      close: async () => {
        await running.server.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await fleet?.server.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
