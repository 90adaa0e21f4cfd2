import type { EventInput, RiskEvent } from '../../../src/guard/events/index.js';
import { eventDigest } from '../../../src/fleet/ingest/index.js';
import type { FleetStore } from '../../../src/fleet/store/index.js';

export const AS_OF = new Date('2026-11-23T00:00:00.000Z');
const DAY = 86_400_000;

/** An event `daysAgo` before AS_OF. */
export function at(daysAgo: number): string {
  return new Date(AS_OF.getTime() - daysAgo * DAY).toISOString();
}

export async function addEvents(store: FleetStore, unit: string, timeline: readonly (readonly [daysAgo: number, input: EventInput])[]): Promise<void> {
  const events = timeline.map(([daysAgo, input], index): RiskEvent => ({ schema: 1, unit, bootSession: 'b4c1a7de-5f55-4a59-8f0b-6f4f3d1e2a90', seq: index + 1, wallTime: at(daysAgo), monoMs: index, ...input }));
  await store.insertEvents(unit, events.map((event) => ({ event, digest: eventDigest(event) })));
}

const powerLoss: EventInput = { type: 'power-loss-ungraceful', data: { previousBootSession: 'x', previousLastSeq: 1, previousLastWallTime: '2026-10-01T00:00:00.000Z', bootReason: 'power-on' } };
const edl: EventInput = { type: 'module-in-edl', data: { usbId: '05c6:9008' } };
const boot: EventInput = { type: 'boot', data: { reason: 'power-on' } };
const vbat = (mV: number): EventInput => ({ type: 'vbat-sample', data: { mV } });
const revision = (to: string): EventInput => ({ type: 'firmware-revision-change', data: { to } });

/**
 * 20 "cutters" (6 ungraceful power losses in 30 days; 6 of them later found in EDL), 20 that
 * behave (1 power loss; one went silent 10 days ago, one was reflashed on the bench: its rework
 * record arrives by import), and one unit never heard from. Failure rates: 6/20 vs 2/20 = 3.0×.
 */
export async function seedFleet(store: FleetStore): Promise<void> {
  for (let index = 0; index < 20; index += 1) {
    const id = `cut-${String(index).padStart(2, '0')}`;
    await store.addUnit({ id, credentialHash: 'x', batch: 'unit-batch', tags: index % 2 === 0 ? ['north'] : ['south'] });
    await addEvents(store, id, [
      [29.5, boot],
      [29.4, revision('EC25EFAR06A01M4G')],
      [25, powerLoss], [20, powerLoss], [15, powerLoss], [10, powerLoss], [5, powerLoss], [2, powerLoss],
      ...(index < 6 ? ([[1.5, edl]] as const) : []),
      [1, vbat(3800)],
    ]);
  }
  for (let index = 0; index < 20; index += 1) {
    const id = `ok-${String(index).padStart(2, '0')}`;
    const silent = index === 0;
    await store.addUnit({ id, credentialHash: 'x', tags: ['south'] });
    await addEvents(store, id, [[29.5, boot], [29.4, revision('EC25EFAR06A03M4G')], [20, powerLoss], [silent ? 10 : 1, vbat(3790)]]);
  }
  await store.addUnit({ id: 'never-00', credentialHash: 'x' });
}

/** The production CSV: cutters 00–09 and ok 00–09 in batch P1, the rest in P2; IMEIs for linking. */
export function productionCsv(): string {
  const rows = ['unit,batch,production_date,module_revision,imei'];
  for (const kind of ['cut', 'ok'] as const) {
    for (let index = 0; index < 20; index += 1) rows.push(`${kind}-${String(index).padStart(2, '0')},${index < 10 ? 'P1' : 'P2'},2026-07-01,EC25EFAR06A01M4G,86100000000${kind === 'cut' ? 1 : 2}${String(index).padStart(3, '0')}`);
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** A rework record (medic log --json) of a flash of the unit with this IMEI. */
export function reworkLine(id: string, imei: string, outcome = 'verified'): string {
  return JSON.stringify({ schema: 1, id, time: at(3), tool: { name: 'modem-medic', version: '0.1.0' }, command: 'flash', unit: { imei }, revision: { after: 'EC25EFAR06A01M4G' }, observations: {}, actions: ['flashed'], outcome });
}
