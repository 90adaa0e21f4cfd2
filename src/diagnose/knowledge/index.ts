// The knowledge base: every cause medic can name, as data. Order does not matter; the inference
// ranks them.
import { bootChainCorrupt, bootHangNoUsb, fastbootMode, usbBootHeld, usbLinkBroken } from './causes-boot.js';
import { baselineMismatch, calibrationLost, healthy, noNetwork, radioOff, simLocked, simMissing } from './causes-firmware.js';
import { portHeld, riskySettings, usbAutosuspend } from './causes-host.js';
import { neverStarted, noPower, pwrkeyBadLevels, pwrkeyShortPulse, weakSupply } from './causes-power.js';
import type { Cause } from './types.js';

export type { Cause, Evidence, NextStep } from './types.js';
export { levels } from './levels.js';

export const knowledgeBase: readonly Cause[] = [
  bootChainCorrupt,
  bootHangNoUsb,
  usbBootHeld,
  usbLinkBroken,
  fastbootMode,
  noPower,
  weakSupply,
  pwrkeyBadLevels,
  pwrkeyShortPulse,
  neverStarted,
  calibrationLost,
  baselineMismatch,
  radioOff,
  simMissing,
  simLocked,
  noNetwork,
  portHeld,
  usbAutosuspend,
  riskySettings,
  healthy,
];

export function causeById(id: string, base: readonly Cause[] = knowledgeBase): Cause | undefined {
  return base.find((cause) => cause.id === id);
}
