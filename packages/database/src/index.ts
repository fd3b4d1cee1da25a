export { createDatabaseClient, type DatabaseClient, type Executor, type Transaction } from './client.js';
export { ensureDatabase, findMigrationsFolder, isEntryPoint, migrateDatabase, migrationsBeside, runMigrationStep } from './migrations.js';
export { isUniqueViolation } from './errors.js';
export { erasedUsers, lockUser, isUserErased, recordUserErased } from './erased-users.js';
export { assertPostgresPatched, postgresPatch } from './dependency-patches.js';
export { newestFirstAfter } from './keyset-pagination.js';
