import type { BatchEvent, UnitResult } from '../../flash/batch/index.js';
import type { FlashProgress } from '../../flash/execute/index.js';
import type { CliIo } from '../io.js';

// Progress of a batch on stderr, one line per unit. On a terminal the block of lines is redrawn
// in place (cursor up, erase line — no dependency, like progress.ts); elsewhere (a CI log, a pipe)
// a line per event, each prefixed with its unit, so parallel units never garble each other.

interface UnitLine {
  readonly id: string;
  text: string;
  lastStep: number | undefined;
}

export class BatchStatus {
  readonly #io: CliIo;
  readonly #terminal: boolean;
  readonly #lines: UnitLine[] = [];
  #drawn = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(io: CliIo) {
    this.#io = io;
    this.#terminal = io.stderr.isTTY === true;
  }

  update(event: BatchEvent): void {
    if (event.type === 'batch') {
      this.#io.stderr.write(event.revision === '' ? `${event.units.length} unit(s) found; the package was refused.\n` : `${event.units.length} unit(s) found (${event.units.map((unit) => unit.id).join(', ')}); flashing ${event.revision}.\n`);
      return;
    }
    const id = event.type === 'done' ? event.result.unit.id : event.unit.id;
    let line = this.#lines.find((entry) => entry.id === id);
    if (line === undefined) {
      line = { id, text: '', lastStep: undefined };
      this.#lines.push(line);
    }
    const text = describe(event, line, this.#terminal);
    if (text === undefined) return;
    line.text = text;
    if (!this.#terminal) {
      this.#io.stderr.write(`[${id}] ${text}\n`);
      return;
    }
    if (event.type === 'done' || event.type === 'start') this.#draw();
    else this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#draw();
    }, 100);
  }

  /** Draws the final state and leaves the cursor below it. */
  done(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#terminal && this.#lines.length > 0) this.#draw();
  }

  #draw(): void {
    const width = Math.max(...this.#lines.map((line) => line.id.length));
    const up = this.#drawn > 0 ? `\x1b[${this.#drawn}F` : '';
    this.#io.stderr.write(up + this.#lines.map((line) => `\x1b[2K${line.id.padEnd(width)}  ${line.text}\n`).join(''));
    this.#drawn = this.#lines.length;
  }
}

function describe(event: Exclude<BatchEvent, { type: 'batch' }>, line: UnitLine, terminal: boolean): string | undefined {
  switch (event.type) {
    case 'start':
      return `starting (${event.unit.mode === 'edl' ? '9008' : 'normal mode'} on ${event.unit.port}); log ${event.logFile}`;
    case 'step':
      return event.message;
    case 'progress': {
      const step = event.progress.step?.index;
      // Off a terminal only a new step is news; on one every update redraws the bar.
      if (!terminal && step === line.lastStep) return undefined;
      line.lastStep = step;
      return bar(event.progress);
    }
    case 'done':
      return outcomeText(event.result);
  }
}

function bar(progress: FlashProgress): string {
  const percent = progress.bytesTotal > 0 ? Math.min(100, (100 * progress.bytesDone) / progress.bytesTotal) : 0;
  const filled = Math.round(percent / 10);
  const rate = progress.bytesPerSecond > 0 ? `  ${(progress.bytesPerSecond / 1e6).toFixed(1)} MB/s` : '';
  const step = progress.step === undefined ? '' : ` (${progress.step.index}/${progress.step.count})`;
  return `[${'#'.repeat(filled)}${'.'.repeat(10 - filled)}] ${percent.toFixed(0).padStart(3)}%  ${progress.phase}${progress.partition === undefined ? '' : ` ${progress.partition}`}${step}${rate}`;
}

export function outcomeText(result: UnitResult): string {
  const time = `${result.seconds.toFixed(1)} s`;
  switch (result.outcome) {
    case 'verified':
      return `✓ verified: ${result.revisionAfter ?? ''} (${time})`;
    case 'flashed':
      return `✓ flashed, not verified: ${result.revisionAfter ?? ''} (${time})`;
    case 'refused':
      return `✗ refused, nothing written: ${result.error?.message ?? ''}`;
    case 'failed-recoverable':
      return `✗ failed part-way (falls back to 9008, backup kept): ${result.error?.message ?? ''}`;
    case 'failed':
      return `✗ failed: ${result.error?.message ?? ''}`;
  }
}
