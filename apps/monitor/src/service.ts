import { fileURLToPath } from 'node:url';
import { eventTypes, producerOf } from '@trendcast/events';
import { RabbitConnection } from '@trendcast/messaging';
import {
  accessTokensFrom,
  closeRedis,
  createRedis,
  createTelemetry,
  defineService,
  type KeySource,
  openRedis,
  type Service,
  type ServiceApp,
  type ServiceLogger,
  type ServiceMetrics,
  shutdownBudget,
  stopWithin,
} from '@trendcast/service-kit';
import { buildMonitorApp, serviceName } from './app.js';
import type { MonitorConfig } from './config.js';
import { BullQueues } from './data/bullmq-queues.js';
import { parkedMessagesOnBroker, type ParkedMessageSource } from './data/parked-messages.js';
import { parkedOutboxOverHttp } from './data/parked-outbox.js';
import { newSessionId, SessionStore } from './data/session-store.js';
import { createMonitorMetrics, type MonitorMetrics } from './metrics.js';
import { createQueueBoard } from './routes/queue-board.js';
import type { MonitorDeps } from './use-cases/deps.js';
import { RefreshLoop } from './workers/refresh-loop.js';

export interface MonitorServiceOverrides {
  logger?: ServiceLogger;
  /** Tests verify tokens with a local key (localKeys) instead of the users service's JWKS. */
  accessTokenKeys?: KeySource;
  now?: () => Date;
}

export interface MonitorService extends Service {
  app: ServiceApp;
  config: MonitorConfig;
  deps: MonitorDeps;
  metrics: ServiceMetrics & { monitor: MonitorMetrics };
  /** Refreshes the queue list and every count now (tests; the loop does it every MONITOR_REFRESH_INTERVAL_MS). */
  refresh(): Promise<void>;
}

/** The monitor's page assets: beside this file, in src/ when run from source and in dist/ when built. */
const assetsDir = fileURLToPath(new URL('./public/', import.meta.url));

/** Every producer of the event catalogue: each may have consumers with dead-letter queues. */
const producers = [...new Set(eventTypes.map((type) => producerOf(type)))];

/**
 * The monitor's composition root, used by main.ts and the component tests alike: config → Redis,
 * RabbitMQ → sessions, queues, parked messages → Bull Board and the console → the refresh loop →
 * shutdown steps. It owns no database and consumes no events: it reads what the others keep.
 */
export async function createMonitorService(config: MonitorConfig, overrides: MonitorServiceOverrides = {}): Promise<MonitorService> {
  const { logger, metrics: serviceMetrics } = createTelemetry(serviceName, { level: config.LOG_LEVEL, logger: overrides.logger });
  const metrics = { ...serviceMetrics, monitor: createMonitorMetrics(serviceMetrics.registry) };

  const redis = createRedis({ url: config.REDIS_URL, purpose: 'commands', name: 'redis', logger });
  const rabbit = new RabbitConnection({ url: config.RABBITMQ_URL, name: serviceName, logger, metrics: serviceMetrics.messaging });

  const parked: ParkedMessageSource = parkedMessagesOnBroker(rabbit, {
    consumers: config.MONITOR_EVENT_CONSUMERS,
    producers,
    namespace: config.RABBITMQ_NAMESPACE,
  });
  const board = createQueueBoard();
  const deps: MonitorDeps = {
    sessions: new SessionStore(redis, config.MONITOR_REDIS_KEY_PREFIX),
    queues: new BullQueues(redis, { prefixes: config.MONITOR_BULLMQ_PREFIXES, explicit: config.MONITOR_QUEUES }),
    board,
    parked,
    outboxes: parkedOutboxOverHttp(config.MONITOR_OUTBOX_SERVICES, { timeoutMs: config.MONITOR_OUTBOX_TIMEOUT_MS }),
    metrics: metrics.monitor,
    settings: { sessionTtlSeconds: config.MONITOR_SESSION_TTL_SECONDS, peekLimit: config.MONITOR_PEEK_LIMIT, outboxTimeoutMs: config.MONITOR_OUTBOX_TIMEOUT_MS },
    logger,
    now: overrides.now ?? (() => new Date()),
    newSessionId,
  };
  const refreshLoop = new RefreshLoop(deps, config.MONITOR_REFRESH_INTERVAL_MS);
  const budget = shutdownBudget(config.SHUTDOWN_TIMEOUT_MS);

  const app = await buildMonitorApp({
    config,
    deps,
    board,
    logger,
    metrics: serviceMetrics,
    accessTokens: accessTokensFrom(config, overrides.accessTokenKeys),
    redis,
    rabbit,
    assetsDir,
  });

  const service = defineService({
    app,
    logger,
    config,
    start: async () => {
      await openRedis(redis);
      await rabbit.start();
      await refreshLoop.start();
      logger.info({ prefixes: config.MONITOR_BULLMQ_PREFIXES, queues: deps.queues.list().length }, 'monitor running');
    },
    // After HTTP (defineService stops it first, within its share), each held to a share of
    // SHUTDOWN_TIMEOUT_MS: a refresh round waiting on a broker that answers nothing is left behind,
    // so the connections are still closed and the process exits 0.
    stops: [
      stopWithin('refresh loop', budget.share(0.2), () => refreshLoop.stop(), logger),
      stopWithin('queues', budget.share(0.08), () => deps.queues.close(), logger),
      stopWithin('rabbitmq', budget.connections, () => rabbit.close(), logger),
      stopWithin('redis', budget.share(0.08), () => closeRedis(redis), logger),
    ],
  });
  return { ...service, app, config, deps, metrics, refresh: () => refreshLoop.runOnce() };
}
