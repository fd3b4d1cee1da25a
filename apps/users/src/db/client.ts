import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.js';

export type UsersDatabase = PostgresJsDatabase<typeof schema>;
export type UsersTransaction = Parameters<Parameters<UsersDatabase['transaction']>[0]>[0];
/** Whatever runs a statement: the pool, or the transaction a use case opened. */
export type Executor = UsersDatabase | UsersTransaction;

export interface DatabaseClient {
  db: UsersDatabase;
  /** The raw driver, for the outbox relay's LISTEN and for readiness checks. */
  sql: postgres.Sql;
  close(): Promise<void>;
}

export function createDatabaseClient(url: string, o: { max?: number } = {}): DatabaseClient {
  const sql = postgres(url, { max: o.max ?? 10, onnotice: () => {} });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/** PostgreSQL's unique_violation on the named constraint or index (drizzle wraps driver errors in `cause`). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const pg = e as { code?: string; constraint_name?: string };
    if (pg.code === '23505') return pg.constraint_name === constraint;
  }
  return false;
}
