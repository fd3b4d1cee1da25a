import { createDatabaseClient as connect, type DatabaseClient as ServiceDatabaseClient } from '@trendcast/database';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import * as schema from './schema.js';

export { isUniqueViolation } from '@trendcast/database';

export type UsersDatabase = PostgresJsDatabase<typeof schema>;
export type UsersTransaction = Parameters<Parameters<UsersDatabase['transaction']>[0]>[0];
/** Whatever runs a statement: the pool, or the transaction a use case opened. */
export type Executor = UsersDatabase | UsersTransaction;
export type DatabaseClient = ServiceDatabaseClient<typeof schema>;

export function createDatabaseClient(url: string, options: { max?: number } = {}): DatabaseClient {
  return connect(url, schema, options);
}
