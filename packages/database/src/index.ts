export { createDatabaseClient, type DatabaseClient } from './client.js';
export { ensureDatabase, findMigrationsFolder, isEntryPoint, migrateDatabase, runMigrationStep } from './migrations.js';
export { isUniqueViolation } from './errors.js';
