import type { Sql } from 'postgres';
import type { DbExecutor } from './types.js';

/**
 * The postgres.js client behind a drizzle database or transaction (a transaction's own connection
 * for a transaction), or undefined when the executor is not one drizzle-orm/postgres-js built.
 *
 * Hot statements of this package go to it directly: building a query through drizzle costs about as
 * much CPU as the driver's whole round trip for it, and a producer pays that on every event.
 */
export function driverOf(executor: DbExecutor): Sql | undefined {
  const client: unknown = (executor as { _?: { session?: { client?: unknown } } })._?.session?.client;
  return typeof client === 'function' && typeof (client as Partial<Sql>).unsafe === 'function' ? (client as Sql) : undefined;
}
