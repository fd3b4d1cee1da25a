import { createDatabaseClient, type DatabaseClient as ServiceDatabaseClient } from '@trendcast/database';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import * as schema from './schema.js';

export type TrendsDatabase = PostgresJsDatabase<typeof schema>;
export type TrendsTransaction = Parameters<Parameters<TrendsDatabase['transaction']>[0]>[0];
/** Whatever runs a statement: the pool, or the transaction a use case opened. */
export type TrendsExecutor = TrendsDatabase | TrendsTransaction;
export type DatabaseClient = ServiceDatabaseClient<typeof schema>;

export function createDatabase(url: string, options: { max?: number } = {}): DatabaseClient {
  return createDatabaseClient(url, schema, options);
}
