/** How the analytics read the events. */
export interface AnalyticsOptions {
  /** Rates are over the last `windowDays` before `asOf` (default 30). */
  readonly windowDays?: number;
  /** A unit with no event for this many days is silent, and counts as failed (default 7). */
  readonly silentDays?: number;
  /** Score (0…100) from which a unit is "at risk" (default 30: the heaviest factor, power cuts, at its saturation alone). */
  readonly atRiskScore?: number;
  /** The analysis time; default now. A demo with simulated months passes its own clock. */
  readonly asOf?: Date;
}

export interface ResolvedAnalyticsOptions {
  readonly windowDays: number;
  readonly silentDays: number;
  readonly atRiskScore: number;
  readonly asOf: Date;
}

export const defaultAnalyticsOptions = { windowDays: 30, silentDays: 7, atRiskScore: 30 } as const;

export function resolveAnalyticsOptions(options: AnalyticsOptions = {}): ResolvedAnalyticsOptions {
  return {
    windowDays: options.windowDays ?? defaultAnalyticsOptions.windowDays,
    silentDays: options.silentDays ?? defaultAnalyticsOptions.silentDays,
    atRiskScore: options.atRiskScore ?? defaultAnalyticsOptions.atRiskScore,
    asOf: options.asOf ?? new Date(),
  };
}
