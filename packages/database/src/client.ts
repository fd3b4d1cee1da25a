import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { assertPostgresPatched } from './dependency-patches.js';

/** A transaction of a service's database, as `db.transaction(async (tx) => …)` hands it over. */
export type Transaction<TSchema extends Record<string, unknown>> = Parameters<Parameters<PostgresJsDatabase<TSchema>['transaction']>[0]>[0];
/** Whatever runs a statement: the pool, or the transaction a use case opened. Data functions take this. */
export type Executor<TSchema extends Record<string, unknown>> = PostgresJsDatabase<TSchema> | Transaction<TSchema>;

export interface DatabaseClient<TSchema extends Record<string, unknown>> {
  db: PostgresJsDatabase<TSchema>;
  /** The raw driver, for the outbox relay's LISTEN and for readiness checks. */
  sql: postgres.Sql;
  /**
   * Ends the pool: statements still running may finish within `timeoutMs` (default 5 s, or a service's
   * `budget.database`), then their connections are dropped.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/**
 * A pooled connection to a service's own database, typed by its drizzle schema. Throws
 * UnpatchedDependencyError, so the service refuses to start, when postgres.js runs without its patch.
 */
export function createDatabaseClient<TSchema extends Record<string, unknown>>(
  url: string,
  schema: TSchema,
  options: { max?: number; idleInTransactionTimeoutMs?: number } = {},
): DatabaseClient<TSchema> {
  assertPostgresPatched();
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // A transaction whose client stopped talking (a process gone, a connection lost half way) would
    // hold its locks for ever; the server ends it after this long instead. Ours last milliseconds.
    connection: { idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 60_000 },
  });
  const db = drizzle(sql, { schema });
  return { db, sql, close: ({ timeoutMs = 5_000 } = {}) => sql.end({ timeout: timeoutMs / 1000 }) };
}
