export { createDatabaseClient, type DatabaseClient } from './client.js';
export { ensureDatabase, findMigrationsFolder, isEntryPoint, migrateDatabase, migrationsBeside, runMigrationStep } from './migrations.js';
export { isUniqueViolation } from './errors.js';
export { assertPostgresPatched, postgresPatch } from './dependency-patches.js';
