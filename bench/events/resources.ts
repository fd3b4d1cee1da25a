import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@trendcast/testing';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

const migrationsFolder = fileURLToPath(new URL('./drizzle', import.meta.url));

/** A database of the bench's own, migrated like a service database; drop() removes it. */
export async function createBenchDatabase(prefix: string): Promise<TestDatabase> {
  const database = await createTestDatabase(prefix);
  const client = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.end();
  }
  return database;
}

/** Cleanups run in reverse order, once, also when the run is interrupted. */
export class Cleanup {
  private readonly steps: Array<[string, () => Promise<unknown>]> = [];
  private ran = false;

  add(name: string, step: () => Promise<unknown>): void {
    this.steps.push([name, step]);
  }

  async run(): Promise<void> {
    if (this.ran) return;
    this.ran = true;
    for (const [name, step] of this.steps.reverse()) {
      await step().catch((error: unknown) => console.error(`cleanup ${name} failed: ${String(error)}`));
    }
  }
}
