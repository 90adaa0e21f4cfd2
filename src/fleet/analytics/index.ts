// Fleet analytics of issue #6: a risk score per unit with its reasons, and failure rates across
// the fleet by risk factor, firmware revision and production batch, with the counts behind them.
export { defaultAnalyticsOptions, resolveAnalyticsOptions, type AnalyticsOptions, type ResolvedAnalyticsOptions } from './analytics-options.js';
export { analyseFleet, MIN_FAILURES, MIN_GROUP_UNITS, type Evidence, type FactorCorrelation, type FleetAnalysis, type GroupFailureRate, type GroupRate } from './fleet-analysis.js';
export { createFleetAnalytics, type FleetAnalytics, type FleetAnalyticsCache, type FleetCounts, type FleetOverview } from './fleet-analytics.js';
export { riskFactorIds, riskFactors, type RiskFactor, type RiskFactorId } from './risk-factors.js';
export { assessUnit, type RiskReason, type UnitAssessment, type UnitHealth } from './unit-assessment.js';
export { filterUnits, isUnitStatusFilter, unitStatusFilters, type UnitFilter, type UnitStatusFilter } from './unit-filter.js';
export { loadUnitHistory, type ReworkEntry, type UnitHistory } from './unit-history.js';
export { loadUnitMetrics, type UnitMetrics } from './unit-metrics.js';
export { seedSyntheticFleet, type Habit, type SyntheticFleet, type SyntheticFleetOptions, type SyntheticUnit } from './synthetic-fleet.js';
