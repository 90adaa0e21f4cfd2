import { UsageError } from '../../core/errors.js';
import { isUnitStatusFilter, type AnalyticsOptions, type UnitFilter } from '../analytics/index.js';

// The query parameters every view and API shares: filters (q, batch, revision, tag, status) and
// analysis options (asOf, windowDays, silentDays).

function text(query: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = query[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 200) : undefined;
}

export function filterOfQuery(query: Readonly<Record<string, unknown>>): UnitFilter {
  const status = text(query, 'status');
  if (status !== undefined && !isUnitStatusFilter(status)) throw new UsageError(`status "${status}" is not one of online, offline, silent, at-risk, failed, ok, never-seen`, { hint: 'Leave status out, or give one of those.' });
  const filter: Record<string, string> = {};
  for (const key of ['q', 'batch', 'revision', 'tag'] as const) {
    const value = text(query, key);
    if (value !== undefined) filter[key] = value;
  }
  return { ...filter, ...(status === undefined ? {} : { status }) };
}

function days(query: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const value = text(query, key);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 3650) throw new UsageError(`${key} ${value} is not a whole number of days 1…3650`, { hint: `Give ${key} as days, e.g. ${key}=30.` });
  return number;
}

export function analyticsOfQuery(query: Readonly<Record<string, unknown>>): AnalyticsOptions {
  const asOfText = text(query, 'asOf');
  const asOf = asOfText === undefined ? undefined : new Date(asOfText);
  if (asOf !== undefined && Number.isNaN(asOf.getTime())) throw new UsageError(`asOf "${asOfText ?? ''}" is not a date`, { hint: 'Give asOf as an ISO 8601 time, e.g. 2026-11-23T00:00:00Z.' });
  const windowDays = days(query, 'windowDays');
  const silentDays = days(query, 'silentDays');
  return { ...(asOf === undefined ? {} : { asOf }), ...(windowDays === undefined ? {} : { windowDays }), ...(silentDays === undefined ? {} : { silentDays }) };
}
