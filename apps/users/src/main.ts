/** Composition root: config → clients → use cases → HTTP, outbox relay, cleanup → graceful shutdown. */
import { resolve } from 'node:path';
import { EventPublisher, RabbitConnection } from '@trendcast/messaging';
import { OutboxRelay } from '@trendcast/outbox';
import { checkThat, createLogger, createMetrics, listen, runService, type Stop } from '@trendcast/service-kit';
import { buildUsersApp, serviceName } from './app.js';
import { createUsersContext } from './compose.js';
import { loadUsersConfig } from './config.js';
import { createDatabaseClient } from './db/client.js';
import { loadSigningKeys } from './security/signing-keys.js';
import { bootstrapAdmin } from './use-cases/bootstrap-admin.js';
import { startEmailLinkWorker } from './workers/email-link-worker.js';
import { startTokenCleanup } from './workers/token-cleanup.js';

const config = loadUsersConfig();
const logger = createLogger({ service: serviceName, level: config.LOG_LEVEL });
const metrics = createMetrics(serviceName);
const keys = loadSigningKeys({
  json: config.JWT_SIGNING_KEYS,
  dir: config.JWT_KEYS_DIR,
  activeKid: config.JWT_ACTIVE_KID,
  production: config.NODE_ENV === 'production',
  devKeysDir: resolve(config.JWT_DEV_KEYS_DIR),
  warn: (message) => logger.warn(message),
});

const database = createDatabaseClient(config.DATABASE_URL, { max: config.DATABASE_POOL_MAX });
const rabbit = new RabbitConnection({ url: config.RABBITMQ_URL, name: serviceName, logger, metrics: metrics.messaging });
const publisher = new EventPublisher(rabbit, { logger, metrics: metrics.messaging });
const relay = new OutboxRelay({ db: database.db, sql: database.sql, sink: publisher, logger });
const ctx = createUsersContext(config, { db: database.db, keys, logger });
const app = await buildUsersApp({
  config,
  ctx,
  keys,
  logger,
  metrics,
  readiness: {
    postgres: () => database.sql`select 1`,
    rabbitmq: checkThat(() => rabbit.isConnected(), 'not connected to RabbitMQ'),
  },
});

const stops: Stop[] = [];
await runService({
  logger,
  stops,
  start: async () => {
    stops.push(['database', () => database.close()]);
    if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
      const admin = { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, displayName: config.ADMIN_DISPLAY_NAME };
      const outcome = await bootstrapAdmin(ctx, admin, { source: serviceName, correlationId: `bootstrap-${Date.now()}` });
      logger.info({ email: admin.email, outcome }, 'admin account from configuration');
    }
    // Requests never wait for the broker: events wait in the outbox until it is reachable.
    stops.unshift(['rabbitmq', () => rabbit.close()]);
    rabbit.start().catch((err: unknown) => logger.error({ err }, 'RabbitMQ connection gave up'));
    await relay.start();
    stops.unshift(['outbox relay', () => relay.stop()]);
    stops.unshift(['token cleanup', startTokenCleanup(database.db, logger)]);
    stops.unshift(['email link worker', await startEmailLinkWorker(ctx, database.sql, logger)]);
    await listen(app, { host: config.HOST, port: config.PORT });
    stops.unshift(['http', () => app.close()]);
  },
});
