import type { FlashProgress } from '../../flash/execute/index.js';
import type { CliIo } from '../io.js';

/**
 * One line on stderr, rewritten in place on a terminal (qdl.js's progress line: no dependency,
 * stdout stays clean for JSON). Off a terminal, one line per step instead of a bar.
 */
export function progressPrinter(io: CliIo): { update: (progress: FlashProgress) => void; done: () => void } {
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
