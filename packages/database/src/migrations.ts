import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/**
 * A service's committed `drizzle/` folder, seen from its migrate entry point: `../../drizzle` from
 * `src/db/migrate.ts`, `../drizzle` from `dist/db/migrate.js` in the bundle (the build copies it there).
 */
export function findMigrationsFolder(entryPointUrl: string): string {
  const candidates = ['../drizzle', '../../drizzle'].map((relative) => fileURLToPath(new URL(relative, entryPointUrl)));
  const found = candidates.find((folder) => existsSync(`${folder}/meta/_journal.json`));
  if (!found) throw new Error(`no drizzle migrations found at ${candidates.join(' or ')}`);
  return found;
}

/** Creates the database named by `url` when it does not exist, so a fresh PostgreSQL needs no manual step. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) throw new Error('the database URL names no database');
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

export async function migrateDatabase(url: string, migrationsFolder: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder });
  } finally {
    await sql.end();
  }
}

/** True when the module at `moduleUrl` is the script node was asked to run (not an import). */
export function isEntryPoint(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && fileURLToPath(moduleUrl) === process.argv[1];
}

/** Applies the migrations of the service whose migrate entry point is `entryPointUrl` (see findMigrationsFolder). */
export function migrationsBeside(entryPointUrl: string): (url: string) => Promise<void> {
  const migrationsFolder = findMigrationsFolder(entryPointUrl);
  return (url) => migrateDatabase(url, migrationsFolder);
}

/** A SQL service's one-shot migration step: its database created when missing, its migrations applied. */
export async function runMigrationStep(service: string, url: string, migrate: (url: string) => Promise<void>): Promise<void> {
  await ensureDatabase(url);
  await migrate(url);
  console.log(`${service}: migrations applied to ${new URL(url).pathname.slice(1)}`);
}
