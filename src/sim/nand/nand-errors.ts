// Errors of the simulated NAND. Operational failures a real chip reports (program into a page that
// is not erased, erase of a bad block) are return values, because the Firehose programmer turns
// them into protocol answers; these errors are for misuse of the model and for bad state files.
import { MedicError, type MedicErrorOptions } from '../../core/errors.js';

export type SimNandErrorCode =
  | 'SIM_NAND_GEOMETRY'
  | 'SIM_NAND_ARGUMENT'
  | 'SIM_NAND_PARTITION'
  | 'SIM_NAND_STATE_MISMATCH'
  | 'SIM_NAND_STATE_CORRUPT';

export class SimNandError extends MedicError {
  constructor(code: SimNandErrorCode, message: string, options: MedicErrorOptions = {}) {
    super(code, message, options);
  }
}
