import { sleep } from '../../core/time.js';

/**
 * The proxy's time: the CFUN budget and held/delayed changes are counted on it. Wall-clock ms
 * (Date.now), not monotonic, because the budget is stored and must mean the same after a host
 * reboot. Tests inject a clock whose sleep advances simulated time.
 */
export interface ProxyClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: ProxyClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, signal),
};

/**
 * Datasheet time for a guard driving a time-scaled simulator (config `time_scale`): an hour of
 * CFUN budget passes in `scale` hours of real time. Timestamps stay wall-clock-like (they start
 * at the real time of creation), so a budget file is still readable, but across restarts of a
 * scaled guard they do not line up — a simulator-only concern.
 */
export function scaledClock(scale: number, start = Date.now()): ProxyClock {
  if (scale === 1) return systemClock;
  return {
    now: () => start + (Date.now() - start) / scale,
    sleep: (ms, signal) => sleep(ms * scale, signal),
  };
}
