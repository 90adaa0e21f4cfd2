import { MedicError, type MedicErrorOptions } from '../../core/errors.js';

// Why a flash or restore plan cannot be made. Each is raised before anything is sent to the module.

export const planErrorCodes = {
  storageUnknown: 'PLAN_STORAGE_UNKNOWN',
  partitionTableUnknown: 'PLAN_PARTITION_TABLE_UNKNOWN',
  perUnitNotFound: 'PLAN_PER_UNIT_PARTITION_NOT_FOUND',
  layoutChange: 'PLAN_LAYOUT_CHANGE',
  backupLocation: 'PLAN_BACKUP_LOCATION',
  packageRefused: 'PLAN_PACKAGE_REFUSED',
  unalignedProgram: 'PLAN_UNALIGNED_PROGRAM',
  manifestInvalid: 'RESTORE_MANIFEST_INVALID',
  backupDamaged: 'RESTORE_BACKUP_DAMAGED',
  otherUnit: 'RESTORE_OTHER_UNIT',
  unitUnverifiable: 'RESTORE_UNIT_UNVERIFIABLE',
  geometryMismatch: 'RESTORE_GEOMETRY_MISMATCH',
  doesNotFit: 'RESTORE_DOES_NOT_FIT',
  partitionNotInBackup: 'RESTORE_PARTITION_NOT_IN_BACKUP',
} as const;

export type PlanErrorCode = (typeof planErrorCodes)[keyof typeof planErrorCodes];

export class FlashPlanError extends MedicError {
  constructor(code: PlanErrorCode, message: string, options: MedicErrorOptions = {}) {
    super(code, message, options);
  }
}
