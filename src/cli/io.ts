import { isMedicError } from '../core/errors.js';
import { isFlashExecutionError } from '../flash/execute/errors.js';
import type { Logger, LogRecord } from '../core/logger.js';
import { ExitCode } from './exit-codes.js';

/** Where a command writes: stdout for results (JSON with --json), stderr for people. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Logs from the library as stderr lines; debug only with --verbose. */
export function stderrLogger(io: CliIo, verbose: boolean): Logger {
  return {
    log(record: LogRecord): void {
      if (record.level === 'debug' && !verbose) return;
      const prefix = record.level === 'info' || record.level === 'debug' ? '' : `${record.level}: `;
      io.stderr.write(`${prefix}${record.message}\n`);
      // Trace records carry a hex dump (core/hexdump.ts): print it under the line, for bug reports.
      const hex = record.fields?.['hex'];
      if (typeof hex === 'string') io.stderr.write(`${hex}\n`);
    },
  };
}

/** Maps an error to an exit code and tells the user (or the machine) what happened and what to do. */
export function reportError(io: CliIo, error: unknown, json: boolean): ExitCode {
  const code = exitCodeFor(error);
  if (isMedicError(error)) {
    if (json) {
      // A flash error also says whether anything was written and where the backup is.
      const flash = isFlashExecutionError(error) ? { category: error.category, written: error.written, backupDirectory: error.backupDirectory } : {};
      printJson(io, { ok: false, error: { ...error.toJSON(), ...flash } });
    }
    io.stderr.write(`medic: ${error.message}\n`);
    if (error.hint !== undefined) io.stderr.write(`  what to do: ${error.hint}\n`);
    return code;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (json) printJson(io, { ok: false, error: { code: 'INTERNAL', message: String(error) } });
  io.stderr.write(`medic: internal error — please report this with the output above.\n${message}\n`);
  return code;
}

function exitCodeFor(error: unknown): ExitCode {
  if (!isMedicError(error)) return ExitCode.Internal;
  if (isFlashExecutionError(error)) return error.category === 'refused' ? ExitCode.Refused : ExitCode.Failed;
  if (error.code === 'USAGE') return ExitCode.Usage;
  if (error.code.startsWith('PORT_') || error.code.startsWith('TRANSPORT_') || error.code.startsWith('USB_') || error.code.startsWith('AT_') || error.code === 'TIMEOUT') return ExitCode.Device;
  if (error.code.startsWith('REFUSED')) return ExitCode.Refused;
  return ExitCode.Failed;
}
