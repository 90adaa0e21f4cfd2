// The library never prints (esptool-js's injected terminal): everything it has to say goes
// through a Logger the caller provides. The CLI turns it into stderr lines; tests collect it.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

export interface Logger {
  log(record: LogRecord): void;
}

export const silentLogger: Logger = { log: () => undefined };

/** A Logger that keeps what it is told, for tests and for attaching to a report. */
export class MemoryLogger implements Logger {
  readonly records: LogRecord[] = [];
  log(record: LogRecord): void {
    this.records.push(record);
  }
}

export function logInfo(logger: Logger, message: string, fields?: Readonly<Record<string, unknown>>): void {
  logger.log(fields === undefined ? { level: 'info', message } : { level: 'info', message, fields });
}

export function logDebug(logger: Logger, message: string, fields?: Readonly<Record<string, unknown>>): void {
  logger.log(fields === undefined ? { level: 'debug', message } : { level: 'debug', message, fields });
}

export function logWarn(logger: Logger, message: string, fields?: Readonly<Record<string, unknown>>): void {
  logger.log(fields === undefined ? { level: 'warn', message } : { level: 'warn', message, fields });
}
