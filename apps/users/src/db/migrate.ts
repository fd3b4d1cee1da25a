/**
 * One-shot migration step, run before the service starts (`npm run db:migrate`). Creates the
 * database first when it does not exist, so a fresh local PostgreSQL needs no manual step.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { databaseUrlVar, loadConfig } from '@trendcast/service-kit';
import { z } from 'zod';

/** `drizzle/` next to `src/` when run from source; `dist/drizzle/` next to `dist/db/` in the production bundle. */
export const migrationsFolder = ['../drizzle', '../../drizzle']
  .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  .find((folder) => existsSync(`${folder}/meta/_journal.json`)) ?? fileURLToPath(new URL('../../drizzle', import.meta.url));

export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error('DATABASE_URL names no database');
  const server = new URL(url);
  server.pathname = '/postgres';
  const sql = postgres(server.toString(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await sql.end();
  }
}

export async function migrateDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder });
  } finally {
    await sql.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { DATABASE_URL } = loadConfig(z.object({ DATABASE_URL: databaseUrlVar('users') }));
  await ensureDatabase(DATABASE_URL);
  await migrateDatabase(DATABASE_URL);
  console.log(`users: migrations applied to ${new URL(DATABASE_URL).pathname.slice(1)}`);
}
