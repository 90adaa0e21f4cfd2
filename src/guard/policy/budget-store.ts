import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { logWarn, type Logger } from '../../core/logger.js';
import { EMPTY_BUDGET, type CfunBudgetState } from './cfun-budget.js';
import { policyErrorCodes } from './errors.js';
import { MedicError } from '../../core/errors.js';

// The CFUN budget on disk, so that restarting the agent does not hand out a fresh budget (a
// crash-looping agent would otherwise let every restart toggle the module again). Written like
// the journal's acknowledgement cursor: temporary file, fsync, rename, fsync of the directory,
// so a power cut leaves the old or the new state, never a torn one.

export const BUDGET_FILE = 'cfun-budget.json';

interface StoredBudget {
  readonly version: 1;
  readonly transitions: readonly number[];
}

export class BudgetStore {
  readonly #dir: string;
  readonly #logger: Logger;
  #writes: Promise<unknown> = Promise.resolve();

  constructor(dir: string, logger: Logger) {
    this.#dir = dir;
    this.#logger = logger;
  }

  get path(): string {
    return join(this.#dir, BUDGET_FILE);
  }

  /** The stored state; an absent file is an empty budget, an unreadable one too (with a warning). */
  async load(): Promise<CfunBudgetState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_BUDGET;
      throw budgetFileError(this.path, error);
    }
    try {
      const value = JSON.parse(text) as { version?: unknown; transitions?: unknown };
      const transitions: unknown = value.transitions;
      if (value.version === 1 && Array.isArray(transitions) && transitions.every((at): at is number => typeof at === 'number' && Number.isFinite(at))) {
        return { transitions: [...transitions].sort((a, b) => a - b) };
      }
    } catch {
      // fall through to the warning
    }
    logWarn(this.#logger, 'at-proxy: the CFUN budget file is unreadable; starting from an empty budget', { file: this.path });
    return EMPTY_BUDGET;
  }

  /** Queues a write of `state`; writes happen one at a time, in order. */
  save(state: CfunBudgetState): Promise<void> {
    const write = this.#writes.then(() => this.#write(state));
    this.#writes = write.catch((error: unknown) => {
      logWarn(this.#logger, 'at-proxy: could not store the CFUN budget', { file: this.path, error: error instanceof Error ? error.message : String(error) });
    });
    return write;
  }

  /** Waits for the queued writes. */
  async flush(): Promise<void> {
    await this.#writes;
  }

  async #write(state: CfunBudgetState): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    const temporary = `${this.path}.tmp`;
    const stored: StoredBudget = { version: 1, transitions: state.transitions };
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(stored)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.path);
    const dir = await open(this.#dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

function budgetFileError(path: string, cause: unknown): MedicError {
  return new MedicError(policyErrorCodes.budgetFile, `cannot read the CFUN budget file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, {
    hint: 'Check the permissions of the guard\'s journal directory; the budget file may be deleted (the budget then starts empty).',
    cause,
  });
}
