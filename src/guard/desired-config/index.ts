// Desired configuration as data, applied with query-then-set after every boot (issue #5).
export { applyDesiredConfig, type ApplyOptions, type SettingResult, type SettingStatus } from './apply.js';
export { parseDesiredConfig, parseDesiredSetting, type DesiredSetting, type DesiredSettingInput, type KnownSettingInput, type RawSettingInput } from './desired-setting.js';
