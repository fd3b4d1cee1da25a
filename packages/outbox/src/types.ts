import type { DomainEvent } from '@trendcast/events';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';

/** A service's drizzle database on the `postgres` driver, whatever its schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Database = PostgresJsDatabase<any>;

/** The transaction handed to the callback of `db.transaction(...)`. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Anything that can run the outbox's statements: the database itself or an open transaction. */
export type DbExecutor = Database | Transaction;

/**
 * Where the relay sends events; `@trendcast/messaging`'s EventPublisher is one. `publish` resolves only
 * once the broker confirms. Its errors may say whose fault a failure was (`failure`: 'event-rejected',
 * 'broker-unavailable', 'broker-blocked'): only the event's own failures count toward parking a row.
 */
export interface EventSink {
  publish(event: DomainEvent): Promise<void>;
  /** Resolves once publishing may succeed again (connected, not blocked): the relay resumes then instead of at its next retry. */
  whenPublishable?(): Promise<void>;
}

/** The subset of a pino logger the outbox writes to. */
export interface OutboxLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
