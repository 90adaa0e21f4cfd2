// One tiny SQL surface over PGlite and node-postgres, so every statement of the fleet store is
// written once in PostgreSQL's dialect and runs on both (ecosystem-aesthetics.md §2.5).

export type SqlRow = Readonly<Record<string, unknown>>;

export interface SqlQueryable {
  /** One statement with $1… parameters; the rows it returns. */
  readonly query: <R extends SqlRow = SqlRow>(sql: string, params?: readonly unknown[]) => Promise<R[]>;
}

export interface SqlExecutor extends SqlQueryable {
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** `embedded` (PGlite in this process) or `postgres` (a server). */
  readonly kind: 'embedded' | 'postgres';
}

/** bigint, numeric and count(*) come back as strings from pg and as bigint from PGlite. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'string') return Number(value);
  return Number.NaN;
}

export function toIso(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  return null;
}
