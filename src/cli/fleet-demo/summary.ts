import type { FactorCorrelation, FleetAnalysis } from '../../fleet/analytics/index.js';
import { httpRequest } from '../../core/http-request.js';

// The demo's last word: what the fleet server's own analysis (GET /api/v1/analysis, the numbers
// the failure-analysis page shows) found, read over HTTP as an operator would.

export interface DemoSummary {
  readonly units: number;
  readonly failed: number;
  readonly needsReflash: number;
  readonly silent: number;
  /** The risk factor that separates failed from healthy units best, in the analysis's own words. */
  readonly strongest: { readonly factor: string; readonly finding: string; readonly evidence: string } | null;
  readonly findings: readonly string[];
}

/** Failure rate above the threshold minus below it: how much of the failures the factor explains. */
function lift(factor: FactorCorrelation): number {
  if (factor.atOrAbove.rate === null || factor.below.rate === null) return Number.NEGATIVE_INFINITY;
  return factor.atOrAbove.rate - factor.below.rate;
}

export function summarise(analysis: FleetAnalysis): DemoSummary {
  const ranked = [...analysis.byFactor].filter((factor) => factor.atOrAbove.failed > 0).sort((a, b) => lift(b) - lift(a));
  const best = ranked[0];
  return {
    units: analysis.units,
    failed: analysis.failed,
    needsReflash: analysis.needsReflash,
    silent: analysis.silent,
    strongest: best === undefined || lift(best) <= 0 ? null : { factor: best.factor, finding: best.finding, evidence: best.evidence },
    findings: ranked.map((factor) => factor.finding),
  };
}

export async function fetchAnalysis(http: string, adminToken: string): Promise<FleetAnalysis> {
  const response = await httpRequest(`${http}/api/v1/analysis`, { headers: { authorization: `Bearer ${adminToken}` } });
  const body = JSON.parse(response.text) as FleetAnalysis & { ok?: boolean };
  if (!response.ok || body.ok !== true) throw new Error(`GET /api/v1/analysis answered ${response.status}`);
  return body;
}
