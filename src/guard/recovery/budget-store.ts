import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { logWarn, silentLogger, type Logger } from '../../core/logger.js';
import { LADDER_STEPS, type Budget, type LadderStep } from '../config/config.js';

// Sliding-window budgets of the recovery ladder, persisted beside the journal so that restarting
// the guard (or the host) does not hand the ladder a fresh budget: the point is that the agent
// itself never wears the module out (issue #5). Times are wall-clock ms: they must survive a host
// reboot, which CLOCK_MONOTONIC does not; a clock that jumps back only makes the window longer.

export const BUDGET_FILE = 'recovery-budgets.json';

interface BudgetFile {
  readonly steps: Partial<Record<LadderStep, number[]>>;
}

export interface BudgetCheck {
  readonly allowed: boolean;
  /** Runs left in the window after this one (when allowed) or now (when not). */
  readonly left: number;
  /** When the oldest run in the window leaves it (wall ms), when not allowed. */
  readonly nextAt?: number;
}

export interface BudgetStoreOptions {
  /** Real ms per datasheet ms (config time_scale): windows are scaled like every duration. */
  readonly timeScale?: number;
  readonly now?: () => number;
  readonly logger?: Logger;
}

export class BudgetStore {
  readonly #path: string;
  readonly #budgets: Readonly<Record<LadderStep, Budget>>;
  readonly #scale: number;
  readonly #now: () => number;
  readonly #runs: Record<LadderStep, number[]>;

  private constructor(path: string, budgets: Readonly<Record<LadderStep, Budget>>, runs: Record<LadderStep, number[]>, options: BudgetStoreOptions) {
    this.#path = path;
    this.#budgets = budgets;
    this.#runs = runs;
    this.#scale = options.timeScale ?? 1;
    this.#now = options.now ?? Date.now;
  }

  static async open(dir: string, budgets: Readonly<Record<LadderStep, Budget>>, options: BudgetStoreOptions = {}): Promise<BudgetStore> {
    const path = join(dir, BUDGET_FILE);
    return new BudgetStore(path, budgets, await readRuns(path, options.logger ?? silentLogger), options);
  }

  /** What `take` would answer now, without taking. */
  check(step: LadderStep): BudgetCheck {
    const runs = this.#inWindow(step);
    const { max } = this.#budgets[step];
    if (runs.length < max) return { allowed: true, left: max - runs.length - 1 };
    const oldest = runs[0];
    return { allowed: false, left: 0, ...(oldest === undefined ? {} : { nextAt: oldest + this.#window(step) }) };
  }

  /** Takes one run of `step` from its budget (persisted before it returns), or says why not. */
  async take(step: LadderStep): Promise<BudgetCheck> {
    const check = this.check(step);
    if (!check.allowed) return check;
    this.#runs[step] = [...this.#inWindow(step), this.#now()];
    await this.#save();
    return check;
  }

  /** Runs left per step now. */
  left(): Record<LadderStep, { readonly left: number; readonly max: number; readonly windowMs: number }> {
    const result = {} as Record<LadderStep, { left: number; max: number; windowMs: number }>;
    for (const step of LADDER_STEPS) result[step] = { left: Math.max(0, this.#budgets[step].max - this.#inWindow(step).length), max: this.#budgets[step].max, windowMs: this.#budgets[step].windowMs };
    return result;
  }

  #window(step: LadderStep): number {
    return this.#budgets[step].windowMs * this.#scale;
  }

  #inWindow(step: LadderStep): number[] {
    const since = this.#now() - this.#window(step);
    return this.#runs[step].filter((at) => at > since).sort((a, b) => a - b);
  }

  async #save(): Promise<void> {
    const body: BudgetFile = { steps: this.#runs };
    const temp = `${this.#path}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(body)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.#path);
  }
}

/** The runs recorded in `path` (also for `medic guard status`); a damaged file counts as empty, with a warning. */
export async function readRuns(path: string, logger: Logger = silentLogger): Promise<Record<LadderStep, number[]>> {
  const runs = Object.fromEntries(LADDER_STEPS.map((step) => [step, [] as number[]])) as Record<LadderStep, number[]>;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return runs;
  }
  try {
    const parsed = JSON.parse(text) as Partial<BudgetFile>;
    for (const step of LADDER_STEPS) {
      const list = parsed.steps?.[step];
      if (Array.isArray(list)) runs[step] = list.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
    }
  } catch {
    logWarn(logger, `guard: ${path} is damaged; the recovery budgets start empty`);
  }
  return runs;
}
