/**
 * One-shot migration step, run before the service starts (`npm run db:migrate`). Creates the
 * database first when it does not exist, so a fresh local PostgreSQL needs no manual step.
 */
import { fileURLToPath } from 'node:url';
import { databaseUrlVar, loadConfig } from '@trendcast/service-kit';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { z } from 'zod';

/** The committed migrations, next to src/ (and copied next to dist/ by the build). */
export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
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
  const { DATABASE_URL } = loadConfig(z.object({ DATABASE_URL: databaseUrlVar('trends') }));
  await ensureDatabase(DATABASE_URL);
  await migrateDatabase(DATABASE_URL);
  console.log(`trends: migrations applied to ${new URL(DATABASE_URL).pathname.slice(1)}`);
}
