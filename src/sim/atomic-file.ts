// Files other programs read while the simulator runs (sim.json, module.json) are replaced whole:
// written to a temporary name in the same directory, then renamed over the old one.
import { rename, unlink, writeFile } from 'node:fs/promises';

let counter = 0;

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  counter += 1;
  const temporary = `${path}.${process.pid}.${counter}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/**
 * Keeps one JSON file current: writes never overlap, and a burst of changes ends in one write of
 * the latest value. Write errors go to `onError` (the simulator logs them and keeps running).
 */
export class JsonFileKeeper {
  readonly path: string;
  readonly #onError: (error: unknown) => void;
  #latest: string | undefined;
  #written: string | undefined;
  #running: Promise<void> | undefined;

  constructor(path: string, onError: (error: unknown) => void) {
    this.path = path;
    this.#onError = onError;
  }

  update(value: unknown): void {
    this.#latest = `${JSON.stringify(value, null, 2)}\n`;
    if (this.#running !== undefined) return;
    const run = this.#drain().finally(() => {
      if (this.#running === run) this.#running = undefined;
    });
    this.#running = run;
  }

  /** Resolves once the latest value is on disk. */
  async flush(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  async #drain(): Promise<void> {
    while (this.#latest !== undefined && this.#latest !== this.#written) {
      const text = this.#latest;
      try {
        await writeFileAtomic(this.path, text);
        this.#written = text;
      } catch (error) {
        this.#onError(error);
        return;
      }
    }
  }
}
