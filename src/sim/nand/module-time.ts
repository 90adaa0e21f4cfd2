// Module time for the NAND and EDL targets. Durations are module milliseconds; the simulator's
// time scale turns them into real ones (DESIGN.md "Time-scaled": scale × real length, so 0.01 is a
// 100× faster module). A simulator with its own clock passes `sleep` (e.g. a timer group's, which
// a power cut cancels); tests pass timeScale 0 and nothing waits at all.
import { UsageError } from '../../core/errors.js';
import { sleep as realSleep } from '../../core/time.js';

/** Waits `moduleMs` of module time. */
export type ModuleSleep = (moduleMs: number) => Promise<void>;

export interface ModuleTimeOptions {
  /** real ms = module ms × timeScale; 0 = no waiting at all (tests). Default 1. */
  readonly timeScale?: number;
  /** Overrides timeScale with the simulator's clock. */
  readonly sleep?: ModuleSleep;
}

export function moduleSleep(options: ModuleTimeOptions = {}): ModuleSleep {
  if (options.sleep !== undefined) return options.sleep;
  const scale = options.timeScale ?? 1;
  if (!Number.isFinite(scale) || scale < 0) {
    throw new UsageError(`time scale must be a number ≥ 0, not ${scale}`, { hint: 'Use 1 for real time, 0.01 for a 100× faster module, 0 for no delays.' });
  }
  if (scale === 0) return () => Promise.resolve();
  return (moduleMs) => realSleep(moduleMs * scale);
}
