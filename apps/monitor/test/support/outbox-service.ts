import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parkedOutbox, outboxMessages, addToOutbox } from '@trendcast/outbox';
import { buildServiceApp, createLogger, createMetrics, localKeys, type ServiceApp } from '@trendcast/service-kit';
import { createTestDatabase, type TestDatabase, type TestTokenSigner } from '@trendcast/testing';
import type { DomainEvent } from '@trendcast/events';
import { eq, sql } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/** A service's migrations holding the outbox table, as every SQL service has them (the outbox package's fixture service). */
const outboxMigrations = fileURLToPath(new URL('../../../../packages/outbox/test/fixtures/service/drizzle', import.meta.url));

/**
 * A SQL service as far as the console sees it: the service kit's app with `outbox` on a database of
 * its own, listening on a random port, trusting the tokens the test signer signs.
 */
export interface OutboxServiceBench {
  url: string;
  db: PostgresJsDatabase;
  /** Saves the events in the outbox and parks them, as the relay does after too many refusals. */
  park(...events: DomainEvent[]): Promise<void>;
  isParked(eventId: string): Promise<boolean>;
  close(): Promise<void>;
}

export async function startOutboxService(signer: TestTokenSigner): Promise<OutboxServiceBench> {
  const database: TestDatabase = await createTestDatabase('mon_outbox');
  const client = postgres(database.url, { max: 2, onnotice: () => {} });
  const db = drizzle(client);
  await migrate(db, { migrationsFolder: outboxMigrations });
  const app: ServiceApp = await buildServiceApp({
    service: 'parkedsvc',
    logger: createLogger({ service: 'parkedsvc', level: 'silent' }),
    metrics: createMetrics('parkedsvc', { defaultMetrics: false }),
    accessTokens: { keys: localKeys([signer.publicJwk]), issuer: 'trendcast-users', audience: 'trendcast' },
    outbox: parkedOutbox(db),
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    db,
    async park(...events) {
      await addToOutbox(db, events);
      for (const event of events) {
        await db
          .update(outboxMessages)
          .set({ parkedAt: sql`now()`, refusals: 10, attempts: 12, lastError: 'the broker refused the message (basic.nack)' })
          .where(eq(outboxMessages.eventId, event.id));
      }
    },
    async isParked(eventId) {
      const [row] = await db.select({ parkedAt: outboxMessages.parkedAt }).from(outboxMessages).where(eq(outboxMessages.eventId, eventId));
      return row?.parkedAt !== null && row?.parkedAt !== undefined;
    },
    async close() {
      await app.close();
      await client.end({ timeout: 1 });
      await database.drop();
    },
  };
}

/** An address where nothing listens: a port the system just handed out and took back. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
