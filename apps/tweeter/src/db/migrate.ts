/** One-shot migration step, run before the service starts (`npm run db:migrate`). */
import { isEntryPoint, migrationsBeside, runMigrationStep } from '@trendcast/database';
import { databaseUrlVar, loadConfig } from '@trendcast/service-kit';
import { z } from 'zod';

export const migrateDatabase = migrationsBeside(import.meta.url);

if (isEntryPoint(import.meta.url)) {
  const { DATABASE_URL } = loadConfig(z.object({ DATABASE_URL: databaseUrlVar('tweeter') }));
  await runMigrationStep('tweeter', DATABASE_URL, migrateDatabase);
}
