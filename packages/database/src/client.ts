import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

export interface DatabaseClient<TSchema extends Record<string, unknown>> {
  db: PostgresJsDatabase<TSchema>;
  /** The raw driver, for the outbox relay's LISTEN and for readiness checks. */
  sql: postgres.Sql;
  close(): Promise<void>;
}

/** A pooled connection to a service's own database, typed by its drizzle schema. */
export function createDatabaseClient<TSchema extends Record<string, unknown>>(
  url: string,
  schema: TSchema,
  options: { max?: number } = {},
): DatabaseClient<TSchema> {
  const sql = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
