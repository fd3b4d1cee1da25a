import { createDatabaseClient as connect, type DatabaseClient as ServiceDatabaseClient, type Executor as AnyExecutor, type Transaction } from '@trendcast/database';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import * as schema from './schema.js';

export { isUniqueViolation } from '@trendcast/database';

export type UsersDatabase = PostgresJsDatabase<typeof schema>;
export type UsersTransaction = Transaction<typeof schema>;
export type Executor = AnyExecutor<typeof schema>;
export type DatabaseClient = ServiceDatabaseClient<typeof schema>;

export function createDatabaseClient(url: string, options: { max?: number } = {}): DatabaseClient {
  return connect(url, schema, options);
}
