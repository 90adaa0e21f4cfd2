import { MedicError, type MedicErrorOptions } from '../../core/errors.js';

export const importErrorCodes = {
  /** The file as a whole is not what the importer reads (empty, no header, wrong columns). */
  malformed: 'FLEET_IMPORT_MALFORMED',
  /** Some rows are bad; `details.problems` lists them by line, and nothing was imported. */
  badRows: 'FLEET_IMPORT_BAD_ROWS',
} as const;

export type ImportErrorCode = (typeof importErrorCodes)[keyof typeof importErrorCodes];

/** One bad line of an import file. */
export interface ImportProblem {
  readonly line: number;
  readonly reason: string;
}

/** An import refused as a whole: nothing of the file was stored. */
export class ImportError extends MedicError {
  readonly problems: readonly ImportProblem[];

  constructor(code: ImportErrorCode, message: string, options: MedicErrorOptions & { problems?: readonly ImportProblem[] } = {}) {
    const problems = options.problems ?? [];
    super(code, message, { ...options, details: { ...options.details, problems } });
    this.problems = problems;
  }
}

/** The refusal for a file with bad lines: the first few named in the message, all in `problems`. */
export function badRowsError(what: string, problems: readonly ImportProblem[], hint: string): ImportError {
  const shown = problems.slice(0, 5).map((problem) => `line ${problem.line}: ${problem.reason}`).join('; ');
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  return new ImportError(importErrorCodes.badRows, `${what}: ${problems.length} bad ${problems.length === 1 ? 'line' : 'lines'}, nothing imported — ${shown}${more}`, { problems, hint });
}
