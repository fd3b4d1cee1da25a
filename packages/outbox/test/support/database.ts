import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@trendcast/testing';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type Sql } from 'postgres';
import type { Database } from '../../src/index.js';

export const fixtureMigrations = fileURLToPath(new URL('../fixtures/service/drizzle', import.meta.url));

export interface ServiceDatabase {
  database: TestDatabase;
  client: Sql;
  db: Database;
  /** Another pool on the same database, as a second instance of the service would have. */
  connect(): { client: Sql; db: Database };
  close(): Promise<void>;
}

/** A database of its own, migrated the way a service migrates: the fixture service's drizzle-kit migrations. */
export async function createServiceDatabase(prefix: string): Promise<ServiceDatabase> {
  const database = await createTestDatabase(prefix);
  const clients: Sql[] = [];
  const connect = () => {
    const client = postgres(database.url, { max: 4, onnotice: () => {} });
    clients.push(client);
    return { client, db: drizzle(client) };
  };
  const { client, db } = connect();
  await migrate(db, { migrationsFolder: fixtureMigrations });
  return {
    database,
    client,
    db,
    connect,
    async close() {
      await Promise.all(clients.map((c) => c.end({ timeout: 1 })));
      await database.drop();
    },
  };
}
