// Errors of the package generator. Bad options and unusable directories are UsageErrors (the user
// can fix them); these are for a package layout that does not fit the simulator's NAND model — a
// bug in medic, whose default hint says where to look — and for writes the file system refused.
import { MedicError, type MedicErrorOptions } from '../../core/errors.js';

export type SimPackageErrorCode =
  /** The package layout does not fit the NAND model: a bug in medic. */
  | 'SIM_PACKAGE_LAYOUT'
  /** The file system refused a write (full disk, permissions). */
  | 'SIM_PACKAGE_WRITE';

export class SimPackageError extends MedicError {
  constructor(code: SimPackageErrorCode, message: string, options: MedicErrorOptions = {}) {
    super(code, message, { hint: 'src/sim/package/package-layout.ts and the NAND model (src/sim/nand/partition-table.ts) disagree; please report this.', ...options });
  }
}
