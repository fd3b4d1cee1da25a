/** One-shot migration step, run before the service starts (`npm run db:migrate`). */
import {
  ensureDatabase,
  findMigrationsFolder,
  isEntryPoint,
  migrateDatabase as applyMigrations,
  runMigrationStep,
} from '@trendcast/database';
import { databaseUrlVar, loadConfig } from '@trendcast/service-kit';
import { z } from 'zod';

export const migrationsFolder = findMigrationsFolder(import.meta.url);

export { ensureDatabase };

export async function migrateDatabase(url: string): Promise<void> {
  await applyMigrations(url, migrationsFolder);
}

if (isEntryPoint(import.meta.url)) {
  const { DATABASE_URL } = loadConfig(z.object({ DATABASE_URL: databaseUrlVar('users') }));
  await runMigrationStep('users', DATABASE_URL, migrationsFolder);
}
