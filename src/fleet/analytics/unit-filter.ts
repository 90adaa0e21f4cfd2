import type { UnitAssessment, UnitHealth } from './unit-assessment.js';

export const unitStatusFilters = ['online', 'offline', 'silent', 'at-risk', 'failed', 'ok', 'never-seen'] as const;
export type UnitStatusFilter = (typeof unitStatusFilters)[number];

/** The search and filters of the overview and the APIs; every field optional. */
export interface UnitFilter {
  /** Substring of the id, batch, revision, IMEI or a tag, case-insensitive. */
  readonly q?: string;
  readonly batch?: string;
  readonly revision?: string;
  readonly tag?: string;
  readonly status?: UnitStatusFilter;
}

export function isUnitStatusFilter(value: string): value is UnitStatusFilter {
  return (unitStatusFilters as readonly string[]).includes(value);
}

function statusMatches(unit: UnitAssessment, status: UnitStatusFilter): boolean {
  if (status === 'online' || status === 'offline') return unit.connection === status;
  // "failed" is the failure definition (reflash or silent); the health label keeps them apart.
  if (status === 'failed') return unit.failed;
  return unit.health === (status satisfies UnitHealth);
}

export function filterUnits(units: readonly UnitAssessment[], filter: UnitFilter): UnitAssessment[] {
  const q = filter.q?.trim().toLowerCase() ?? '';
  return units.filter((unit) => {
    if (filter.batch !== undefined && filter.batch !== '' && unit.batch !== filter.batch) return false;
    if (filter.revision !== undefined && filter.revision !== '' && unit.revision !== filter.revision) return false;
    if (filter.tag !== undefined && filter.tag !== '' && !unit.tags.includes(filter.tag)) return false;
    if (filter.status !== undefined && !statusMatches(unit, filter.status)) return false;
    if (q === '') return true;
    return [unit.id, unit.batch ?? '', unit.revision ?? '', unit.imei ?? '', ...unit.tags].some((text) => text.toLowerCase().includes(q));
  });
}
