import { createWriteStream, type WriteStream } from 'node:fs';
import type { Logger, LogRecord } from '../../core/logger.js';

// One plain-text log file per unit of a batch: every executor log line (debug included), the
// device's <log> lines, the hex trace records carry (core/hexdump.ts), and the outcome — what a
// technician attaches to a bug report for that one unit, untangled from the others.

export class UnitLog implements Logger {
  readonly file: string;
  readonly #stream: WriteStream;
  #failed: unknown;

  constructor(file: string) {
    this.file = file;
    this.#stream = createWriteStream(file, { flags: 'a' });
    // A log that cannot be written must not take the flash down with it.
    this.#stream.on('error', (error) => {
      this.#failed = error;
    });
  }

  /** The error that stopped the file being written, if any. */
  get failure(): unknown {
    return this.#failed;
  }

  log(record: LogRecord): void {
    this.line(`${record.level.padEnd(5)} ${record.message}`);
    const hex = record.fields?.['hex'];
    if (typeof hex === 'string') this.#write(`${hex}\n`);
  }

  line(text: string): void {
    this.#write(`${new Date().toISOString()} ${text}\n`);
  }

  async close(): Promise<void> {
    if (this.#failed !== undefined) return;
    await new Promise<void>((resolve) => {
      this.#stream.end(() => {
        resolve();
      });
    });
  }

  #write(text: string): void {
    if (this.#failed === undefined && this.#stream.writable) this.#stream.write(text);
  }
}
