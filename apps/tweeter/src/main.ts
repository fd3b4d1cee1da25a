/**
 * Load config → create the service → run it until SIGTERM/SIGINT (see service.ts for the wiring); with
 * --migrate-queues, instead move its consumer queues once to the declared ones (`npm run migrate:queues`).
 */
import { queueMigrationFlag, runQueueMigration, serve } from '@trendcast/service-kit';
import { loadTweeterConfig } from './config.js';
import { createTweeterService } from './service.js';

const service = await createTweeterService(loadTweeterConfig());
await (process.argv.includes(queueMigrationFlag) ? runQueueMigration(service) : serve(service));
