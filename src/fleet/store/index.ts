export { toIso, toNumber, type SqlExecutor, type SqlQueryable, type SqlRow } from './executor.js';
export { createFleetStore, type EventToStore, type FleetStats, type FleetStore, type InsertOutcome, type NewUnit, type RefusalCount, type RefusalRow, type UnitSummary } from './fleet-store.js';
export { migrations, runMigrations, type Migration, type MigrationReport } from './migrations.js';
export { openFleetStore, type OpenedStore, type OpenStoreOptions } from './open-store.js';
export { openPgExecutor, type PgExecutorOptions } from './pg-executor.js';
export { openPgliteExecutor } from './pglite-executor.js';
