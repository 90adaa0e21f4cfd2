import { randomBytes } from 'node:crypto';
import { importProduction, importRework } from '../../fleet/imports/index.js';
import { setOperator } from '../../fleet/dashboard/operators.js';
import { startFleetServer, type FleetServer } from '../../fleet/serve.js';
import { registerUnit } from '../../fleet/units/index.js';
import { luhnCheckDigit } from '../../sim/identity.js';
import { createRng } from '../../core/rng.js';
import { assignHabits, type Habit } from './habits.js';

// The demo's fleet server and its paperwork: units registered with batches and tags, the
// production CSV (batch, date, revision, IMEI) imported as a factory would, an operator for the
// dashboard. Habits are NOT written to the server: the analysis has to find them in the events.

export const DEMO_OPERATOR = 'demo';

/** Two releases of the EC25-A firmware (the same baseline, R05), so the revision table has two rows. */
const REVISIONS = ['EC25AFAR05A04M4G', 'EC25AFAR05A03M4G'] as const;
const SITES = ['north', 'south', 'harbour'] as const;

export interface DemoUnitPlan {
  readonly id: string;
  readonly habit: Habit;
  readonly batch: string;
  readonly revision: string;
  readonly imei: string;
  readonly tags: readonly string[];
  readonly seed: number;
  readonly secret: string;
}

export interface DemoFleet {
  readonly server: FleetServer;
  readonly units: readonly DemoUnitPlan[];
  readonly operator: { readonly name: string; readonly password: string };
  importRework(line: string): Promise<void>;
}

function imeiOf(index: number): string {
  // TAC 35 209 0xx (an EC25-style type allocation), serial from the unit number.
  const body = `352090${String(10_000_000 + index).slice(-8)}`;
  return `${body}${luhnCheckDigit(body)}`;
}

function productionDate(firstDay: Date, batch: number): string {
  return new Date(firstDay.getTime() - (40 - batch * 10) * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

export function planUnits(count: number, seed: number): Omit<DemoUnitPlan, 'secret'>[] {
  const habits = assignHabits(count, seed);
  const rng = createRng(seed);
  return habits.map((habit, index) => {
    const batch = index % 3;
    return {
      id: `demo-${String(index + 1).padStart(2, '0')}`,
      habit,
      batch: `B${batch + 1}`,
      revision: REVISIONS[batch === 2 ? 1 : 0],
      imei: imeiOf(index + 1),
      tags: [`site-${SITES[rng.int(0, SITES.length - 1)] ?? 'north'}`],
      seed: (seed * 1000 + index + 1) >>> 0,
    };
  });
}

export async function startDemoFleet(options: { port: number; count: number; seed: number; firstDay: Date }): Promise<DemoFleet> {
  const server = await startFleetServer({ port: options.port, mqttPort: 0, host: '127.0.0.1' });
  try {
    const units: DemoUnitPlan[] = [];
    for (const plan of planUnits(options.count, options.seed)) {
      const { secret } = await registerUnit(server.store, { id: plan.id, batch: plan.batch, tags: plan.tags });
      units.push({ ...plan, secret });
    }
    const csv = ['unit,batch,production_date,module_revision,imei', ...units.map((unit) => `${unit.id},${unit.batch},${productionDate(options.firstDay, Number(unit.batch.slice(1)))},${unit.revision},${unit.imei}`)].join('\n');
    await importProduction(server.store.db, `${csv}\n`);
    const operator = { name: DEMO_OPERATOR, password: randomBytes(9).toString('base64url') };
    await setOperator(server.store.db, operator.name, operator.password);
    return {
      server,
      units,
      operator,
      importRework: async (line) => {
        await importRework(server.store.db, `${line}\n`);
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
