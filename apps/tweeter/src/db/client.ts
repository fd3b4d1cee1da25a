import { createDatabaseClient, type DatabaseClient as ServiceDatabaseClient, type Executor, type Transaction } from '@trendcast/database';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import * as schema from './schema.js';

export type TweeterDatabase = PostgresJsDatabase<typeof schema>;
export type TweeterTransaction = Transaction<typeof schema>;
export type TweeterExecutor = Executor<typeof schema>;
export type DatabaseClient = ServiceDatabaseClient<typeof schema>;

export function createDatabase(url: string, options: { max?: number } = {}): DatabaseClient {
  return createDatabaseClient(url, schema, options);
}
