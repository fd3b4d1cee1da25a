/** What tooling outside the service (benchmarks, local scripts) may build the service from. */
export { createUsersService, type UsersService, type UsersServiceOverrides } from './service.js';
export { loadUsersConfig, usersConfigSchema, type UsersConfig } from './config.js';
export { migrateDatabase } from './db/migrate.js';
export { generateSigningKey, loadSigningKeys, SigningKeyRing } from './security/signing-keys.js';
