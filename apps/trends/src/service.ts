import { EventConsumer, EventPublisher, RabbitConnection } from '@trendcast/messaging';
import { OutboxRelay } from '@trendcast/outbox';
import {
  checkThat,
  createLogger,
  createMetrics,
  createTokenVerifier,
  listen,
  type Logger,
  type ServiceApp,
  type Stop,
  type TokenVerifier,
} from '@trendcast/service-kit';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { buildTrendsApp } from './app.js';
import type { TrendsConfig } from './config.js';
import { subscribeToUserEvents } from './consumers/user-events.js';
import { createDatabase } from './db/client.js';
import { GoogleTrendsClient } from './google/google-trends-client.js';
import { SearchQueue } from './queue/search-queue.js';
import { RedisRequestGate } from './rate-limit/redis-request-gate.js';
import { TrendingFeed } from './trending/trending-feed.js';
import type { TrendsDeps } from './use-cases/deps.js';
import { ReconcilerLoop } from './workers/reconciler-loop.js';
import { createSearchWorker } from './workers/search-worker.js';

export interface TrendsServiceOverrides {
  /** Tests verify tokens with a local key instead of the users service's JWKS. */
  tokenVerifier?: TokenVerifier;
  logger?: Logger;
}

export interface TrendsService {
  config: TrendsConfig;
  logger: Logger;
  deps: TrendsDeps;
  /** Present when TRENDS_RUN_API is on. */
  app: ServiceApp | undefined;
  reconciler: ReconcilerLoop | undefined;
  /** Connects, starts consuming, relaying and working; listens when asked (tests use app.inject). */
  start(options?: { listen?: boolean }): Promise<void>;
  /** In shutdown order: HTTP, consumer, worker, reconciler, relay, connections, pools. */
  stops: Stop[];
  stop(): Promise<void>;
}

/**
 * Composition root of the trends service: config → clients → use-case dependencies → API, consumer,
 * worker and reconciler, each started and stopped here. main.ts and the component tests both use it.
 */
export async function createTrendsService(config: TrendsConfig, overrides: TrendsServiceOverrides = {}): Promise<TrendsService> {
  const logger = overrides.logger ?? createLogger({ service: 'trends', level: config.LOG_LEVEL });
  const metrics = createMetrics('trends');
  const database = createDatabase(config.DATABASE_URL);
  // Commands on the request path fail fast while Redis is down (the database keeps the truth, the reconciler catches up).
  const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));
  const queueRedis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  queueRedis.on('error', () => {});
  const prefix = config.TRENDS_REDIS_PREFIX;

  const queue = new SearchQueue({
    connection: queueRedis,
    prefix,
    attempts: config.SEARCH_ATTEMPTS,
    retryBaseDelayMs: config.SEARCH_RETRY_BASE_DELAY_MS,
  });
  const gate = new RedisRequestGate({
    redis,
    key: `${prefix}:trends:google-gate`,
    maxConcurrent: config.GOOGLE_MAX_CONCURRENT,
    minIntervalMs: config.GOOGLE_MIN_INTERVAL_MS,
    // One call is explore + widget data (+ the library's 429 retry), each bounded by the timeout.
    leaseMs: config.GOOGLE_REQUEST_TIMEOUT_MS + 5_000,
  });
  const origin = new URL(config.GOOGLE_TRENDS_ORIGIN);
  const google = new GoogleTrendsClient({
    gate,
    timeoutMs: config.GOOGLE_REQUEST_TIMEOUT_MS,
    hl: config.GOOGLE_TRENDS_HL,
    ...(origin.protocol === 'http:' ? { origin } : {}),
  });
  const deps: TrendsDeps = {
    db: database.db,
    queue,
    google,
    gate,
    logger,
    now: () => new Date(),
    settings: {
      cacheTtlMs: config.SEARCH_CACHE_TTL_SECONDS * 1000,
      noDataAttempts: config.SEARCH_NO_DATA_ATTEMPTS,
      rateLimitCooldownMs: config.GOOGLE_RATE_LIMIT_COOLDOWN_MS,
      watchMinIntervalMs: config.WATCH_MIN_INTERVAL_SECONDS * 1000,
      reconcileGraceMs: config.RECONCILE_GRACE_MS,
      quotas: {
        maxActiveWatches: config.USER_MAX_ACTIVE_WATCHES,
        maxSearchesInFlight: config.USER_MAX_SEARCHES_IN_FLIGHT,
        maxSearchesPerMinute: config.USER_MAX_SEARCHES_PER_MINUTE,
      },
    },
  };

  const rabbit = new RabbitConnection({ url: config.RABBITMQ_URL, name: 'trends', logger, metrics: metrics.messaging });
  const namespace = config.RABBITMQ_NAMESPACE ? { namespace: config.RABBITMQ_NAMESPACE } : {};
  const publisher = new EventPublisher(rabbit, { logger, metrics: metrics.messaging, ...namespace });
  const relay = new OutboxRelay({ db: database.db, sql: database.sql, sink: publisher, logger });
  const consumer = config.TRENDS_RUN_API
    ? subscribeToUserEvents(
        new EventConsumer(rabbit, {
          service: 'trends',
          logger,
          metrics: metrics.messaging,
          ...namespace,
        }),
        deps,
      )
    : undefined;

  const app = config.TRENDS_RUN_API
    ? await buildTrendsApp({
        deps,
        logger,
        metrics,
        publicBaseUrl: config.PUBLIC_BASE_URL,
        bodyLimit: config.HTTP_BODY_LIMIT_BYTES,
        trustProxy: config.TRUST_PROXY,
        tokenVerifier:
          overrides.tokenVerifier ??
          createTokenVerifier({ jwksUrl: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
        readiness: {
          postgres: () => database.sql`select 1`,
          redis: () => redis.ping(),
          rabbitmq: checkThat(() => rabbit.isConnected(), 'not connected to RabbitMQ'),
        },
        trending: {
          feed: new TrendingFeed({ origin, gate, timeoutMs: config.GOOGLE_REQUEST_TIMEOUT_MS, maxWaitMs: config.TRENDING_MAX_WAIT_MS }),
          redis,
          keyPrefix: `${prefix}:trends`,
          cacheTtlMs: config.TRENDING_CACHE_SECONDS * 1000,
          now: deps.now,
        },
      })
    : undefined;

  const reconciler = config.TRENDS_RUN_WORKER ? new ReconcilerLoop(deps, config.RECONCILE_INTERVAL_MS) : undefined;
  let worker: Worker | undefined;
  let workerRedis: Redis | undefined;

  const stops: Stop[] = [];
  if (app) stops.push(['http', () => app.close()]);
  if (consumer) stops.push(['consumer', () => consumer.stop()]);
  stops.push(['worker', async () => worker?.close()]);
  stops.push(['reconciler', async () => reconciler?.stop()]);
  stops.push(['outbox relay', () => relay.stop()]);
  stops.push(['rabbitmq', () => rabbit.close()]);
  stops.push([
    'redis',
    async () => {
      await queue.close();
      for (const connection of [redis, queueRedis, workerRedis]) connection?.disconnect();
    },
  ]);
  stops.push(['postgres', () => database.close()]);

  let stopping: Promise<void> | undefined;
  return {
    config,
    logger,
    deps,
    app,
    reconciler,
    stops,
    async start(options = {}) {
      await redis.connect().catch((error: unknown) => logger.warn({ err: error }, 'redis not reachable yet'));
      await rabbit.start();
      await relay.start();
      if (consumer) await consumer.start();
      if (config.TRENDS_RUN_WORKER) {
        // Workers block on Redis and must never give up a command: BullMQ needs maxRetriesPerRequest null.
        workerRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
        workerRedis.on('error', () => {});
        worker = createSearchWorker(deps, {
          connection: workerRedis,
          prefix,
          concurrency: config.WORKER_CONCURRENCY,
          lockDurationMs: config.WORKER_LOCK_DURATION_MS,
          stalledIntervalMs: config.WORKER_STALLED_INTERVAL_MS,
          maxStalledCount: config.WORKER_MAX_STALLED_COUNT,
          retry: { baseMs: config.SEARCH_RETRY_BASE_DELAY_MS, maxMs: config.SEARCH_RETRY_MAX_DELAY_MS },
        });
        // Re-creates what Redis may have lost (jobs of pending searches, watch schedulers), then keeps checking.
        reconciler?.start();
      }
      if (app && options.listen) await listen(app, { host: config.HOST, port: config.PORT });
    },
    stop() {
      stopping ??= (async () => {
        for (const [name, stop] of stops) {
          await stop().catch((error: unknown) => logger.warn({ err: error, step: name }, 'stop step failed'));
        }
      })();
      return stopping;
    },
  };
}
