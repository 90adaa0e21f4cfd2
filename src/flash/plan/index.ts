// Flash plans as data (quectel-ec25.md §2.5, edl-protocols.md §2.4–2.9): back up the per-unit
// partitions, erase SBL first, program SBL last, read back, reset — and the restore of a backup.
export { buildFlashPlan, BACKUP_MANIFEST_FILE } from './flash-plan.js';
export type { FlashPlan, FlashPlanOptions } from './flash-plan.js';
export { backupSteps } from './backup-steps.js';
export type { BackupInputs } from './backup-steps.js';
export { buildRestorePlan } from './restore-plan.js';
export type { RestorePlan, RestorePlanOptions } from './restore-plan.js';
export { flashPhases, planNote, planNoteCatalogue, SKIP_BAD_BLOCKS } from './steps.js';
export type { BackupStep, DataSource, EraseStep, FlashPhase, FlashStep, PatchStep, PlanNote, PlanNoteCode, PowerStep, ProgramStep, StepOrigin, VendorStep, VerifyStep } from './steps.js';
export { bytesBefore, planTotals } from './totals.js';
export type { PlanTotals } from './totals.js';
export { backupDirectoryFor, backupTimestamp, normaliseImei, normaliseSerial, sameUnit, unitFolderName } from './unit-identity.js';
export type { BackupLocation, UnitIdentity } from './unit-identity.js';
export { choosePartitionLayout, EC25_REFERENCE_EFS2, referenceTable } from './partition-layout.js';
export type { PartitionLayout, PartitionLayoutOptions, PartitionTableSource } from './partition-layout.js';
export { goodBlocksIn, isCovered, physicalSpan, roundUpToBlocks } from './extents.js';
export { BACKUP_MANIFEST_FORMAT, BACKUP_MANIFEST_VERSION, createBackupManifest, manifestForBackups, parseBackupManifest, serializeBackupManifest } from './backup-manifest.js';
export type { BackupManifest, BackupManifestPartition, BackupResult, BackupSetInputs, ManifestInputs } from './backup-manifest.js';
export { FlashPlanError, planErrorCodes } from './errors.js';
export type { PlanErrorCode } from './errors.js';
