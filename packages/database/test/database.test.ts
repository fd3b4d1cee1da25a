import { createTestDatabase, testEnv, uniqueName, type TestDatabase } from '@trendcast/testing';
import { sql as raw } from 'drizzle-orm';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDatabaseClient, ensureDatabase, findMigrationsFolder, isUniqueViolation, migrateDatabase, migrationsBeside, runMigrationStep } from '../src/index.js';

const notes = pgTable('notes', { id: serial('id').primaryKey(), title: text('title').notNull().unique() });
/** As if this file were `<service>/src/db/migrate.ts`: the fixture's drizzle/ is two folders up. */
const entryPoint = new URL('./fixtures/src/db/migrate.ts', import.meta.url).href;

describe('service databases', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('database');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('when the database does not exist, then ensureDatabase creates it, and a second call changes nothing', async () => {
    const url = new URL(testEnv.postgresUrl);
    url.pathname = `/${uniqueName('tc_ensure')}`;
    await ensureDatabase(url.toString());
    await ensureDatabase(url.toString());
    const admin = postgres(testEnv.postgresUrl, { max: 1 });
    try {
      const rows = await admin`select 1 from pg_database where datname = ${url.pathname.slice(1)}`;
      expect(rows).toHaveLength(1);
      await admin.unsafe(`drop database "${url.pathname.slice(1)}"`);
    } finally {
      await admin.end();
    }
  });

  it('when migrations are applied twice, then the schema exists once and a unique violation is recognised by name', async () => {
    const folder = findMigrationsFolder(entryPoint);
    await migrateDatabase(database.url, folder);
    await migrateDatabase(database.url, folder);
    const client = createDatabaseClient(database.url, { notes });
    try {
      await client.db.insert(notes).values({ title: 'rising' });
      const error = await client.db.insert(notes).values({ title: 'rising' }).catch((e: unknown) => e);
      expect(isUniqueViolation(error, 'notes_title_unique')).toBe(true);
      expect(isUniqueViolation(error, 'another_constraint')).toBe(false);
      expect(isUniqueViolation(new Error('not a database error'), 'notes_title_unique')).toBe(false);
      const [count] = await client.db.execute<{ n: number }>(raw`select count(*)::int as n from notes`);
      expect(count?.n).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('when the migration step runs against a database that does not exist yet, then it creates it, applies the migrations and says so', async () => {
    const url = new URL(testEnv.postgresUrl);
    const name = uniqueName('tc_step');
    url.pathname = `/${name}`;
    const said = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await runMigrationStep('sample', url.toString(), migrationsBeside(entryPoint));

      const client = createDatabaseClient(url.toString(), { notes });
      try {
        await client.db.insert(notes).values({ title: 'first' });
        expect(await client.db.select().from(notes)).toMatchObject([{ title: 'first' }]);
      } finally {
        await client.close();
      }
      expect(said).toHaveBeenCalledWith(`sample: migrations applied to ${name}`);
    } finally {
      said.mockRestore();
      const admin = postgres(testEnv.postgresUrl, { max: 1 });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });

  it('when no drizzle folder is near the entry point, then findMigrationsFolder says where it looked', () => {
    expect(() => findMigrationsFolder(new URL('./nowhere/deep/inside/migrate.ts', import.meta.url).href)).toThrow(/no drizzle migrations found at/);
  });
});
