import { join } from 'node:path';
import { FleetError, fleetErrorCodes } from '../errors.js';
import { lockDataDir } from './data-dir-lock.js';
import type { SqlExecutor } from './executor.js';
import { createFleetStore, type FleetStore } from './fleet-store.js';
import { runMigrations, type MigrationReport } from './migrations.js';
import { openPgExecutor } from './pg-executor.js';
import { openPgliteExecutor } from './pglite-executor.js';

export interface OpenStoreOptions {
  /** postgres://… — a real PostgreSQL; otherwise the embedded store. */
  readonly db?: string;
  /** With `db`: the schema to keep the tables in (created when missing). */
  readonly schema?: string;
  /** Without `db`: where PGlite keeps its files; in memory when undefined. */
  readonly dataDir?: string;
}

export interface OpenedStore {
  readonly store: FleetStore;
  readonly migrations: MigrationReport;
  /** Where the data is, for the startup line (the URL without its password). */
  readonly location: string;
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres (unparsable URL)';
  }
}

async function openExecutor(options: OpenStoreOptions): Promise<{ db: SqlExecutor; release: () => Promise<void>; location: string }> {
  if (options.db !== undefined) {
    const url = options.db;
    const db = await openPgExecutor({ url, ...(options.schema === undefined ? {} : { schema: options.schema }) }).catch((error: unknown) => {
      throw new FleetError(fleetErrorCodes.storeOpen, `cannot reach PostgreSQL at ${redact(url)}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
        hint: 'Check the --db URL (postgres://user@host:5432/db), that the server runs and accepts this user.',
      });
    });
    return { db, release: () => Promise.resolve(), location: redact(url) };
  }
  if (options.dataDir === undefined) return { db: await openPgliteExecutor(undefined), release: () => Promise.resolve(), location: 'memory' };
  const release = await lockDataDir(options.dataDir);
  try {
    return { db: await openPgliteExecutor(join(options.dataDir, 'pgdata')), release, location: options.dataDir };
  } catch (error) {
    await release();
    throw new FleetError(fleetErrorCodes.storeOpen, `cannot open the embedded fleet store in ${options.dataDir}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      hint: 'Check that the directory is writable and was written by this version of medic.',
    });
  }
}

/** Opens the store and brings its schema up to date (migrations run at every start). */
export async function openFleetStore(options: OpenStoreOptions = {}): Promise<OpenedStore> {
  const { db, release, location } = await openExecutor(options);
  try {
    const migrations = await runMigrations(db);
    const store = createFleetStore(db);
    return {
      store: { ...store, close: () => store.close().finally(release) },
      migrations,
      location,
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    await release();
    throw error;
  }
}
