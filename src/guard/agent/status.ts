import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LADDER_STEPS, type GuardConfig, type LadderStep } from '../config/config.js';
import type { RiskEvent } from '../events/event.js';
import { scanSegment } from '../journal/record-format.js';
import { listSegments } from '../journal/segments.js';
import { BUDGET_FILE, readRuns } from '../recovery/budget-store.js';
import { readStateFile, type GuardStateFile } from './state-file.js';

// `medic guard status`: read-only, from the journal directory, while the guard runs (the journal's
// writer lock belongs to the agent, so this reads the files themselves).

export interface BudgetStatus {
  readonly max: number;
  readonly windowMs: number;
  readonly used: number;
  readonly left: number;
}

export interface GuardStatus {
  readonly dir: string;
  readonly state?: GuardStateFile;
  /** Whether the process of state.pid is alive (false: stopped, or crashed). */
  readonly agentAlive: boolean;
  readonly budgets: Readonly<Record<LadderStep, BudgetStatus>>;
  /** The newest events on disk, oldest first. */
  readonly lastEvents: readonly RiskEvent[];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function readGuardStatus(config: Pick<GuardConfig, 'journal' | 'recovery' | 'timeScale'>, lastCount = 10, now = Date.now()): Promise<GuardStatus> {
  const dir = config.journal.dir;
  const state = await readStateFile(dir);
  const runs = await readRuns(join(dir, BUDGET_FILE));
  const budgets = {} as Record<LadderStep, BudgetStatus>;
  for (const step of LADDER_STEPS) {
    const { max, windowMs } = config.recovery.budgets[step];
    const used = runs[step].filter((at) => at > now - windowMs * config.timeScale).length;
    budgets[step] = { max, windowMs, used, left: Math.max(0, max - used) };
  }
  return { dir, ...(state === undefined ? {} : { state }), agentAlive: state !== undefined && state.agent === 'running' && alive(state.pid), budgets, lastEvents: await lastEvents(dir, lastCount) };
}

async function lastEvents(dir: string, count: number): Promise<RiskEvent[]> {
  const segments = await listSegments(dir).catch(() => []);
  const events: RiskEvent[] = [];
  for (const segment of segments.reverse()) {
    const scan = scanSegment(await readFile(segment.path).catch(() => Buffer.alloc(0)));
    events.unshift(...scan.records.map((record) => record.event));
    if (events.length >= count) break;
  }
  return events.slice(-count);
}
