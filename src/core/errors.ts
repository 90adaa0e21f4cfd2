// Every error the library raises is a MedicError: a stable `code` machines can branch on, and a
// `hint` that tells a person what to do next. The brand symbol (as in ya-webadb's error classes)
// keeps `isMedicError` true across duplicated copies of the package, where `instanceof` fails.

const brand = Symbol.for('modem-medic.error');

export interface MedicErrorOptions {
  readonly hint?: string;
  readonly cause?: unknown;
  readonly details?: Readonly<Record<string, unknown>>;
}

export class MedicError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: MedicErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
    Object.defineProperty(this, brand, { value: true });
  }

  /** A one-object view for `--json` output and logs. */
  toJSON(): { code: string; message: string; hint?: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, ...(this.hint === undefined ? {} : { hint: this.hint }), details: this.details };
  }
}

export function isMedicError(value: unknown): value is MedicError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** An operation did not finish before its deadline. */
export class TimeoutError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('TIMEOUT', message, options);
  }
}

/** The caller cancelled the operation (an AbortSignal fired). */
export class CancelledError extends MedicError {
  constructor(message = 'cancelled', options: MedicErrorOptions = {}) {
    super('CANCELLED', message, options);
  }
}

/** Bad input from the user: an option, a file, a value out of range. */
export class UsageError extends MedicError {
  constructor(message: string, options: MedicErrorOptions = {}) {
    super('USAGE', message, options);
  }
}
