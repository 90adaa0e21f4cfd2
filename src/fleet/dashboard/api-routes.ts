import type { FastifyInstance } from 'fastify';
import { UsageError } from '../../core/errors.js';
import type { FleetAnalytics } from '../analytics/index.js';
import { importProduction, importRework } from '../imports/index.js';
import type { SqlExecutor } from '../store/executor.js';
import type { Access } from './access.js';
import { analyticsOfQuery, filterOfQuery } from './request-filter.js';

/** Imports are files, not event batches: a bigger body than ingest allows. */
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

export interface ApiDependencies {
  readonly db: SqlExecutor;
  readonly analytics: FleetAnalytics;
  readonly access: Access;
}

function limitOf(query: Readonly<Record<string, unknown>>): number {
  const value = query['limit'];
  if (value === undefined) return 1000;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 100_000) throw new UsageError(`limit ${JSON.stringify(value)} is not 1…100000`, { hint: 'Give limit as a whole number of units.' });
  return number;
}

/** GET /api/v1/units/:id/risk, /api/v1/analysis, /api/v1/fleet/overview; POST /api/v1/imports/{rework,production}. */
export function registerApiRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  const { analytics, access } = deps;

  app.get('/api/v1/units/:id/risk', { onRequest: access.requireReader }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const unit = await analytics.unitRisk(id, analyticsOfQuery(request.query as Record<string, unknown>));
    if (unit === undefined) return reply.code(404).send({ ok: false, error: { code: 'FLEET_UNIT_UNKNOWN', message: `no unit ${id}`, hint: 'List the units with GET /api/v1/units.' } });
    return { ok: true, unit };
  });

  app.get('/api/v1/analysis', { onRequest: access.requireReader }, async (request) => {
    const query = request.query as Record<string, unknown>;
    return { ok: true, ...(await analytics.analysis(filterOfQuery(query), analyticsOfQuery(query))) };
  });

  app.get('/api/v1/fleet/overview', { onRequest: access.requireReader }, async (request) => {
    const query = request.query as Record<string, unknown>;
    const limit = limitOf(query);
    const overview = await analytics.overview(filterOfQuery(query), analyticsOfQuery(query));
    return { ok: true, ...overview, matched: overview.units.length, units: overview.units.slice(0, limit) };
  });

  app.post('/api/v1/imports/rework', { onRequest: access.requireAdmin, bodyLimit: IMPORT_BODY_LIMIT }, async (request) => {
    const report = await importRework(deps.db, typeof request.body === 'string' ? request.body : '');
    return { ok: true, ...report };
  });

  app.post('/api/v1/imports/production', { onRequest: access.requireAdmin, bodyLimit: IMPORT_BODY_LIMIT }, async (request) => {
    const report = await importProduction(deps.db, typeof request.body === 'string' ? request.body : '');
    return { ok: true, ...report };
  });
}
