export { LADDER_STEPS, realDeadlineMs, realMs, SIGNALS, type Budget, type GpioConfig, type GpiodConfig, type GuardConfig, type JournalConfig, type LadderStep, type Level, type ModuleConfig, type NoGpioConfig, type RecoveryConfig, type Signal, type SignalLevels, type SimGpioConfig, type VbatConfig } from './config.js';
export { GuardConfigError } from './errors.js';
export { BOARD_DEFAULT_LEVELS, loadGuardConfig, parseGuardConfig, SIM_DEFAULT_LEVELS, type ParseOptions } from './parse-config.js';
export { defaultTimings, TIMINGS, timingNames, type TimingName, type TimingSpec, type TimingTable } from './timings.js';
