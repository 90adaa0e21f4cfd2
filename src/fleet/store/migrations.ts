import { FleetError, fleetErrorCodes } from '../errors.js';
import type { SqlExecutor } from './executor.js';

// Versioned migrations, applied in order at start, each once, recorded in schema_migrations.
// They ship as strings (the npm package carries only dist/src, not .sql files). Append new
// ones; never edit one that has shipped.

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: readonly string[];
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'units, events, ingest refusals',
    sql: [
      `CREATE TABLE units (
        id text PRIMARY KEY,
        credential text NOT NULL,
        batch text,
        tags text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz,
        status text CHECK (status IN ('online', 'offline')),
        status_at timestamptz
      )`,
      // The guard's seq is per unit and never reused (src/guard/README.md), so (unit, seq) names an
      // event; boot_session is kept for grouping boots, digest for telling a resend from a conflicting replay.
      `CREATE TABLE events (
        unit text NOT NULL REFERENCES units (id),
        seq bigint NOT NULL,
        boot_session text NOT NULL,
        type text NOT NULL,
        wall_time timestamptz NOT NULL,
        mono_ms double precision NOT NULL,
        data jsonb NOT NULL,
        digest text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (unit, seq)
      )`,
      // Risk scoring reads one unit's events by type over time; fleet rates read one type over time.
      'CREATE INDEX events_unit_type_time ON events (unit, type, wall_time)',
      'CREATE INDEX events_type_time ON events (type, wall_time)',
      'CREATE INDEX units_batch ON units (batch)',
      // Unit '' collects refusals no unit could be named for (bad credentials for an unknown id).
      `CREATE TABLE ingest_refusals (
        unit text NOT NULL,
        reason text NOT NULL,
        count bigint NOT NULL,
        last_at timestamptz NOT NULL,
        last_detail text,
        PRIMARY KEY (unit, reason)
      )`,
    ],
  },
  {
    version: 2,
    name: 'production records, rework records, operators, settings',
    sql: [
      // Keyed by the fleet's unit id; not a foreign key: production records usually arrive before
      // the units first call home. serial and imei are what rework records name a unit by.
      `CREATE TABLE production_records (
        unit text PRIMARY KEY,
        serial text,
        batch text,
        produced_on date,
        module_revision text,
        imei text,
        imported_at timestamptz NOT NULL DEFAULT now()
      )`,
      'CREATE INDEX production_records_imei ON production_records (imei)',
      'CREATE INDEX production_records_serial ON production_records (serial)',
      // One row per rework record of `medic log --json` (src/diagnose/rework-log/README.md); its id
      // is the import key. unit stays NULL until a unit or production record names its IMEI/serial.
      `CREATE TABLE rework_records (
        id text PRIMARY KEY,
        unit text,
        imei text,
        serial text,
        time timestamptz NOT NULL,
        command text NOT NULL,
        outcome text NOT NULL,
        revision_after text,
        record jsonb NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now()
      )`,
      'CREATE INDEX rework_records_unit ON rework_records (unit, time)',
      // Dashboard logins; password_hash is scrypt (units/credentials.ts format).
      `CREATE TABLE operators (
        name text PRIMARY KEY,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      // Shared by every server on one database, so a session cookie signed by one is good on all.
      'CREATE TABLE fleet_settings (key text PRIMARY KEY, value text NOT NULL)',
    ],
  },
];

export interface MigrationReport {
  readonly applied: readonly number[];
  readonly version: number;
}

/**
 * Brings the schema up to date. The whole run is one transaction holding a transaction-level
 * advisory lock (keyed by the schema), so two servers starting at once take turns: the second
 * finds the work done. Advisory locks and transactional DDL work the same on PGlite.
 */
export async function runMigrations(db: SqlExecutor, list: readonly Migration[] = migrations): Promise<MigrationReport> {
  try {
    return await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('modem-medic fleet migrations'), hashtext(coalesce(current_schema(), '')))");
      await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((row) => row.version));
      const applied: number[] = [];
      for (const migration of [...list].sort((a, b) => a.version - b.version)) {
        if (done.has(migration.version)) continue;
        for (const statement of migration.sql) await tx.query(statement);
        await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        applied.push(migration.version);
      }
      const version = Math.max(0, ...done, ...applied);
      return { applied, version };
    });
  } catch (error) {
    throw new FleetError(fleetErrorCodes.migration, `could not bring the fleet database up to date: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      hint: 'Check that the database user may create tables in the schema; a newer server may have migrated it past this version.',
    });
  }
}
