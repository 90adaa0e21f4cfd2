// The flash executor (issue 3 §2): runs the plans of src/flash/plan against a module in EDL —
// `medic flash`, `medic backup` and `medic flash --restore-calibration` without the terminal.
export { flashModule } from './flash-module.js';
export type { FlashModuleOptions, FlashOutcome, FlashResult } from './flash-module.js';
export type { ExecutionOptions } from './options.js';
export type { ExecutionPhase, FlashProgress, ProgressListener } from './progress.js';
export type { StepRecord } from './step-runner.js';
export { executionOrder } from './step-runner.js';
export { FlashExecutionError, FlashRecoverableError, FlashRefusedError, flashErrorCodes, isFlashExecutionError } from './errors.js';
export type { FlashErrorCategory, FlashErrorCode } from './errors.js';
export { backupModule } from './backup-module.js';
export type { BackupModuleOptions, BackupModuleResult } from './backup-module.js';
export { restoreCalibration } from './restore-calibration.js';
export type { RestoreCalibrationOptions, RestoreResult } from './restore-calibration.js';
export type { ProgrammerSource } from './programmer.js';
export { connectEdl } from './connect.js';
export type { ConnectOptions, EdlConnection } from './connect.js';
