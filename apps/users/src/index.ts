/** What tooling outside the service (benchmarks, local scripts) may build the service from. */
export { buildUsersApp, serviceName, type UsersAppOptions } from './app.js';
export { createUsersContext } from './compose.js';
export { loadUsersConfig, usersConfigSchema, type UsersConfig } from './config.js';
export { createDatabaseClient, type DatabaseClient } from './db/client.js';
export { migrateDatabase } from './db/migrate.js';
export { generateSigningKey, loadSigningKeys, SigningKeyRing } from './security/signing-keys.js';
export { bootstrapAdmin } from './use-cases/bootstrap-admin.js';
