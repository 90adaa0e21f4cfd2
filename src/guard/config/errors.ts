import { MedicError } from '../../core/errors.js';

/** The guard's configuration file is wrong; `key` names the setting (e.g. `timings.pwrkey_on_ms`). */
export class GuardConfigError extends MedicError {
  readonly key: string;

  constructor(key: string, message: string, hint?: string) {
    super('GUARD_CONFIG', key === '' ? message : `${key}: ${message}`, { hint: hint ?? 'Fix the setting in the guard configuration file (see docs: `medic guard --help`, src/guard/config/example.toml).', details: { key } });
    this.key = key;
  }
}
