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
