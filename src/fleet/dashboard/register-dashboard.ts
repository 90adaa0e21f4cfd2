import type { FastifyInstance } from 'fastify';
import { createFleetAnalytics, type AnalyticsOptions, type FleetAnalytics } from '../analytics/index.js';
import type { FleetStore } from '../store/index.js';
import { Access } from './access.js';
import { registerApiRoutes } from './api-routes.js';
import { registerPageRoutes } from './page-routes.js';

export interface DashboardOptions {
  readonly store: FleetStore;
  readonly adminToken: string;
  readonly analytics?: AnalyticsOptions;
  /** How long fleet-wide results are reused (default 10 s; see FleetAnalyticsCache). */
  readonly cacheSeconds?: number;
}

/** Adds the analytics and import APIs and the dashboard pages to the fleet server's fastify app. */
export function registerDashboard(app: FastifyInstance, options: DashboardOptions): FleetAnalytics {
  const { db } = options.store;
  const analytics = createFleetAnalytics(db, options.analytics, { cacheSeconds: options.cacheSeconds ?? 10 });
  const access = new Access(db, options.adminToken);
  registerApiRoutes(app, { db, analytics, access });
  registerPageRoutes(app, { db, analytics, access });
  return analytics;
}
