import { MedicError, type MedicErrorOptions } from '../../core/errors.js';
import { errorsOf, type PackageProblem } from './problems.js';

// Errors thrown while opening or reading a package. Problems found by the validator are returned
// as a list instead (problems.ts); PackageInvalidError carries that list when a caller wants to
// stop on it.

export const packageErrorCodes = {
  notFound: 'PACKAGE_NOT_FOUND',
  layout: 'PACKAGE_LAYOUT',
  unreadable: 'PACKAGE_UNREADABLE',
  pathTraversal: 'PACKAGE_PATH_TRAVERSAL',
  fileNotFound: 'PACKAGE_FILE_NOT_FOUND',
  tooLarge: 'PACKAGE_FILE_TOO_LARGE_TO_PARSE',
} as const;

export type PackageErrorCode = (typeof packageErrorCodes)[keyof typeof packageErrorCodes];

export class PackageError extends MedicError {
  constructor(code: PackageErrorCode, message: string, options: MedicErrorOptions = {}) {
    super(code, message, options);
  }
}

/** The validator found errors: nothing may be written to the module. */
export class PackageInvalidError extends MedicError {
  readonly problems: readonly PackageProblem[];

  constructor(problems: readonly PackageProblem[]) {
    const errors = errorsOf(problems);
    const first = errors[0];
    const summary = errors.map((entry) => entry.code).join(', ');
    super('PACKAGE_INVALID', `the firmware package was refused (${errors.length} error${errors.length === 1 ? '' : 's'}: ${summary}); nothing was written`, {
      hint: first === undefined ? 'See the problem list.' : `${first.message} — ${first.hint}`,
      details: { problems },
    });
    this.problems = problems;
  }
}
