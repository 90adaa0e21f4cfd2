import type { FlashProgress } from '../../flash/execute/index.js';
import { printJson, type CliIo } from '../io.js';
import { monotonicMs } from '../../core/time.js';

/**
 * Progress as a user of `medic flash` / `medic backup` sees it: JSON lines on stdout with
 * `--json`, else the bar on stderr; either way at most one update per `intervalMs` within a step.
 * The executor reports every chunk (~50,000 times for a full package); a terminal cannot show
 * that, and a script reading --json does not want 15 MB of it.
 */
export function progressOutput(io: CliIo, json: boolean, intervalMs = 100): { update: (progress: FlashProgress) => void; done: () => void } {
  const bar = progressPrinter(io);
  const throttle = progressThrottle((progress) => {
    if (json) printJson(io, { progress });
    else bar.update(progress);
  }, intervalMs);
  return {
    update: throttle.update,
    done() {
      throttle.flush();
      bar.done();
    },
  };
}

/**
 * Passes the first update of every step and the last one of the run at once, the rest at most
 * every `intervalMs`; a step's last update held back is passed before the next step's first, and
 * `flush()` passes the latest one, so every step's final figures show.
 */
export function progressThrottle(listener: (progress: FlashProgress) => void, intervalMs: number, now: () => number = monotonicMs): { update: (progress: FlashProgress) => void; flush: () => void } {
  let last = Number.NEGATIVE_INFINITY;
  let lastStep: string | undefined;
  let held: FlashProgress | undefined;
  const pass = (progress: FlashProgress): void => {
    held = undefined;
    last = now();
    listener(progress);
  };
  return {
    update(progress) {
      const step = `${progress.phase} ${progress.step?.index ?? 0}`;
      const newStep = step !== lastStep;
      lastStep = step;
      // The step that ends shows its last figures before the next one starts.
      if (newStep && held !== undefined) pass(held);
      if (newStep || progress.bytesDone >= progress.bytesTotal || now() - last >= intervalMs) pass(progress);
      else held = progress;
    },
    flush() {
      if (held !== undefined) pass(held);
    },
  };
}

/**
 * One line on stderr, rewritten in place on a terminal (qdl.js's progress line: no dependency,
 * stdout stays clean for JSON). Off a terminal, one line per step instead of a bar.
 */
function progressPrinter(io: CliIo): { update: (progress: FlashProgress) => void; done: () => void } {
  const terminal = io.stderr.isTTY === true;
  let lastStep = -1;
  let drawn = false;
  return {
    update(progress) {
      const step = progress.step;
      if (!terminal) {
        if (step !== undefined && step.index !== lastStep) {
          lastStep = step.index;
          io.stderr.write(`[${step.index}/${step.count}] ${step.description}\n`);
        }
        return;
      }
      const percent = progress.bytesTotal > 0 ? Math.min(100, (100 * progress.bytesDone) / progress.bytesTotal) : 0;
      const width = 24;
      const filled = Math.round((percent / 100) * width);
      const rate = progress.bytesPerSecond > 0 ? `${(progress.bytesPerSecond / 1e6).toFixed(1)} MB/s` : '';
      const eta = progress.etaSeconds === undefined ? '' : `ETA ${formatSeconds(progress.etaSeconds)}`;
      const what = `${progress.phase}${progress.partition === undefined ? '' : ` ${progress.partition}`}`;
      io.stderr.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent.toFixed(0).padStart(3)}%  ${what.padEnd(22)} ${rate.padStart(10)}  ${eta}`);
      drawn = true;
    },
    /** Ends the bar's line; safe to call again. */
    done() {
      if (drawn) io.stderr.write('\n');
      drawn = false;
    },
  };
}

function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
