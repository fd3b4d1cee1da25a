import { RepeatingRound } from '@trendcast/core';
import { InboxPruner, OutboxRelay } from '@trendcast/outbox';
import {
  accessTokensFrom,
  closeRedis,
  createEventBus,
  createRedis,
  createTelemetry,
  defineService,
  type EventBus,
  type KeySource,
  type Service,
  type ServiceApp,
  type ServiceLogger,
  type ServiceMetrics,
  type Stop,
} from '@trendcast/service-kit';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { buildTrendsApp, serviceName } from './app.js';
import type { TrendsConfig } from './config.js';
import { subscribe } from './consumers/subscriptions.js';
import { RedisRequestGate } from './data/redis-request-gate.js';
import { TrendingCache } from './data/trending-cache.js';
import { createDatabase, type DatabaseClient } from './db/client.js';
import { GoogleTrendsClient } from './integrations/google/google-trends-client.js';
import { TrendingFeed } from './integrations/google/trending-feed.js';
import type { TrendsDeps } from './use-cases/deps.js';
import { reconcile } from './use-cases/reconcile.js';
import { SearchQueue } from './workers/search-queue.js';
import { createSearchWorker } from './workers/search-worker.js';

export interface TrendsServiceOverrides {
  logger?: ServiceLogger;
  /** Where access-token keys come from; by default the users service's JWKS (JWKS_URL). Tests pass a local key. */
  accessTokenKeys?: KeySource;
}

export interface TrendsService extends Service {
  config: TrendsConfig;
  /** What the use cases run with (tests read the database and the queue through it). */
  deps: TrendsDeps;
  /** Present when TRENDS_RUN_WORKER is on. */
  reconciler: RepeatingRound | undefined;
  bus: EventBus;
}

/** One part of the process: what it starts, and its shutdown steps in order. */
interface Part {
  start(): Promise<void>;
  stops: Stop[];
}

/**
 * The trends service's composition root, used by main.ts and the component tests alike:
 * config → pools and the event bus → use-case dependencies → the parts this process runs (the API
 * with its event consumer and inbox pruner when TRENDS_RUN_API, the search worker with its
 * reconciler when TRENDS_RUN_WORKER; the outbox relay always) → shutdown steps.
 */
export async function createTrendsService(config: TrendsConfig, overrides: TrendsServiceOverrides = {}): Promise<TrendsService> {
  const { logger, metrics } = createTelemetry(serviceName, { level: config.LOG_LEVEL, logger: overrides.logger });
  const database = createDatabase(config.DATABASE_URL, { max: config.DATABASE_POOL_MAX });
  // Commands on the request path fail fast while Redis is down (the database keeps the truth, the reconciler catches up).
  const redis = createRedis({ url: config.REDIS_URL, purpose: 'commands', name: 'redis', logger });
  const queueRedis = createRedis({ url: config.REDIS_URL, purpose: 'commands', name: 'redis-queue', logger });
  const bus = createEventBus(config, { service: serviceName, logger, metrics });
  const deps = createDeps(config, { database, redis, queueRedis, logger });

  const api = config.TRENDS_RUN_API ? await apiPart(config, { deps, bus, redis, database, logger, metrics, keys: overrides.accessTokenKeys }) : undefined;
  const worker = config.TRENDS_RUN_WORKER ? workerPart(config, deps, logger) : undefined;
  const outbox = { relay: new OutboxRelay({ db: database.db, sql: database.sql, sink: bus.publisher, logger }), pruner: api?.pruner };

  const service = defineService({
    app: api?.app,
    logger,
    config,
    start: async () => {
      await redis.connect().catch((error: unknown) => logger.warn({ err: error }, 'redis not reachable yet'));
      await bus.start(outbox);
      await worker?.start();
    },
    stops: [
      ...bus.stops({ ...outbox, workers: worker?.stops }),
      [
        'redis',
        async () => {
          await deps.queue.close();
          await closeRedis(redis, queueRedis);
        },
      ],
      ['postgres', () => database.close({ timeoutMs: bus.budget.database })],
    ],
  });
  return { ...service, config, deps, reconciler: worker?.reconciler, bus };
}

function createDeps(
  config: TrendsConfig,
  o: { database: DatabaseClient; redis: Redis; queueRedis: Redis; logger: ServiceLogger },
): TrendsDeps {
  const prefix = config.TRENDS_REDIS_PREFIX;
  const gate = new RedisRequestGate({
    redis: o.redis,
    key: `${prefix}:trends:google-gate`,
    maxConcurrent: config.GOOGLE_MAX_CONCURRENT,
    minIntervalMs: config.GOOGLE_MIN_INTERVAL_MS,
    // One call is explore + widget data (+ the library's 429 retry), each bounded by the timeout.
    leaseMs: config.GOOGLE_REQUEST_TIMEOUT_MS + 5_000,
  });
  const origin = new URL(config.GOOGLE_TRENDS_ORIGIN);
  return {
    db: o.database.db,
    queue: new SearchQueue({
      connection: o.queueRedis,
      prefix,
      attempts: config.SEARCH_ATTEMPTS,
      retryBaseDelayMs: config.SEARCH_RETRY_BASE_DELAY_MS,
    }),
    google: new GoogleTrendsClient({
      gate,
      timeoutMs: config.GOOGLE_REQUEST_TIMEOUT_MS,
      hl: config.GOOGLE_TRENDS_HL,
      ...(origin.protocol === 'http:' ? { origin } : {}),
    }),
    gate,
    trending: {
      feed: new TrendingFeed({ origin, gate, timeoutMs: config.GOOGLE_REQUEST_TIMEOUT_MS, maxWaitMs: config.TRENDING_MAX_WAIT_MS }),
      cache: new TrendingCache(o.redis, `${prefix}:trends`),
      cacheTtlMs: config.TRENDING_CACHE_SECONDS * 1000,
    },
    logger: o.logger,
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
}

/** The HTTP API, the users.user.deleted consumer that keeps it lawful, and the pruner of that consumer's inbox. */
async function apiPart(
  config: TrendsConfig,
  o: {
    deps: TrendsDeps;
    bus: EventBus;
    redis: Redis;
    database: DatabaseClient;
    logger: ServiceLogger;
    metrics: ServiceMetrics;
    keys: KeySource | undefined;
  },
): Promise<{ app: ServiceApp; pruner: InboxPruner }> {
  const consumer = subscribe(o.bus.consumer(), o.deps);
  const pruner = InboxPruner.forConsumer(consumer, { db: o.database.db, logger: o.logger, retentionDays: config.INBOX_RETENTION_DAYS });
  const app = await buildTrendsApp({
    config,
    deps: o.deps,
    logger: o.logger,
    metrics: o.metrics,
    accessTokens: accessTokensFrom(config, o.keys),
    readiness: {
      postgres: () => o.database.sql`select 1`,
      redis: () => o.redis.ping(),
      rabbitmq: o.bus.checkReady,
    },
  });
  return { app, pruner };
}

/** The trends.search worker, and the reconciler that re-creates in Redis what the database says is due. */
function workerPart(config: TrendsConfig, deps: TrendsDeps, logger: ServiceLogger): Part & { reconciler: RepeatingRound } {
  const reconciler = new RepeatingRound({ what: 'reconciliation', intervalMs: config.RECONCILE_INTERVAL_MS, round: () => reconcile(deps), logger: deps.logger });
  // Workers block on Redis and must never give up a command.
  const workerRedis = createRedis({ url: config.REDIS_URL, purpose: 'blocking', name: 'redis-worker', logger });
  let worker: Worker | undefined;
  return {
    reconciler,
    async start() {
      worker = createSearchWorker(deps, {
        connection: workerRedis,
        prefix: config.TRENDS_REDIS_PREFIX,
        concurrency: config.WORKER_CONCURRENCY,
        lockDurationMs: config.WORKER_LOCK_DURATION_MS,
        stalledIntervalMs: config.WORKER_STALLED_INTERVAL_MS,
        maxStalledCount: config.WORKER_MAX_STALLED_COUNT,
        retry: { baseMs: config.SEARCH_RETRY_BASE_DELAY_MS, maxMs: config.SEARCH_RETRY_MAX_DELAY_MS },
      });
      // Re-creates what Redis may have lost (jobs of pending searches, watch schedulers), then keeps checking.
      reconciler.start();
    },
    stops: [
      ['worker', async () => worker?.close()],
      ['reconciler', () => reconciler.stop()],
      ['redis worker connection', () => closeRedis(workerRedis)],
    ],
  };
}
