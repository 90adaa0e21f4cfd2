import { MedicError, type MedicErrorOptions } from '../../core/errors.js';

export const policyErrorCodes = {
  invalid: 'GUARD_POLICY_INVALID',
  budgetFile: 'GUARD_BUDGET_FILE',
} as const;

/** A policy (or desired-configuration) value that cannot be used; `path` names the field. */
export class PolicyError extends MedicError {
  readonly path: string;

  constructor(path: string, problem: string, options: MedicErrorOptions = {}) {
    super(policyErrorCodes.invalid, `${path === '' ? 'policy' : path}: ${problem}`, {
      hint: 'Fix this field in the guard configuration; src/guard/proxy/README.md lists every policy field and its default.',
      ...options,
      details: { path, problem, ...options.details },
    });
    this.path = path;
  }
}
