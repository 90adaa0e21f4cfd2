import { userInfo } from 'node:os';
import pg from 'pg';
import type { SqlExecutor, SqlQueryable, SqlRow } from './executor.js';

export interface PgExecutorOptions {
  readonly url: string;
  /** Tables live in this schema (created when missing); the default is the server's search_path. */
  readonly schema?: string;
  readonly maxConnections?: number;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function queryable(client: pg.Pool | pg.PoolClient): SqlQueryable {
  return {
    async query<R extends SqlRow = SqlRow>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      const result = await client.query<R>(sql, [...params]);
      return result.rows;
    },
  };
}

/**
 * libpq (psql) connects as the OS user when the URL names none; node-postgres takes $USER, which
 * services and containers often lack. Do what psql does, so the same URL works for both.
 */
function withDefaultUser(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined || parsed.username !== '' || process.env['PGUSER'] !== undefined) return url;
  parsed.username = encodeURIComponent(process.env['USER'] ?? userInfo().username);
  return parsed.toString();
}

/** A node-postgres pool on a real PostgreSQL (`--db postgres://…`). */
export async function openPgExecutor(options: PgExecutorOptions): Promise<SqlExecutor> {
  const url = withDefaultUser(options.url);
  if (options.schema !== undefined) {
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
    } catch (error) {
      // Two servers creating the schema at once: the loser sees a unique violation; the schema is there.
      if ((error as { code?: string }).code !== '23505' && (error as { code?: string }).code !== '42P06') throw error;
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 8,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${quoteIdent(options.schema)}` }),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // Fail now, with the URL in the error, rather than at the first event.
  await pool.query('SELECT 1');
  const base = queryable(pool);
  return {
    kind: 'postgres',
    query: base.query,
    async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
