import { PGlite } from '@electric-sql/pglite';
import type { SqlExecutor, SqlQueryable, SqlRow } from './executor.js';

// PGlite is PostgreSQL compiled to WASM, in this process: one connection, so its own mutex
// already serialises queries and transactions (ecosystem-aesthetics.md §2.5).

function queryable(db: Pick<PGlite, 'query'>): SqlQueryable {
  return {
    async query<R extends SqlRow = SqlRow>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      const result = await db.query<R>(sql, [...params]);
      return result.rows;
    },
  };
}

/** PGlite persisted in `dataDir`, or in memory when it is undefined (tests). */
export async function openPgliteExecutor(dataDir: string | undefined): Promise<SqlExecutor> {
  const db = dataDir === undefined ? await PGlite.create() : await PGlite.create(dataDir);
  const base = queryable(db);
  return {
    kind: 'embedded',
    query: base.query,
    transaction: <T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> => db.transaction((tx) => work(queryable(tx))),
    close: () => db.close(),
  };
}
