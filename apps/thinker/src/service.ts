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
  openRedis,
  type Service,
  type ServiceApp,
  type ServiceLogger,
  type ServiceMetrics,
  type ShutdownBudget,
  type Stop,
  stopWithin,
} from '@trendcast/service-kit';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { buildThinkerApp, serviceName } from './app.js';
import type { ThinkerConfig } from './config.js';
import { subscribe } from './consumers/subscriptions.js';
import { createDatabase, type DatabaseClient } from './db/client.js';
import { generationSettings } from './generation-config.js';
import { createOllamaIntegration } from './integrations/ollama/index.js';
import { createThinkerMetrics } from './metrics.js';
import { defaultModelPath, loadOfflineScorer } from './sentiment/index.js';
import type { SentimentScorer } from './sentiment/sentiment-scorer.js';
import type { ThinkerDeps } from './use-cases/deps.js';
import { reconcile } from './use-cases/reconcile.js';
import { GenerateQueue } from './workers/generate-queue.js';
import { createGenerateWorker } from './workers/generate-worker.js';

export interface ThinkerServiceOverrides {
  logger?: ServiceLogger;
  /** Where access-token keys come from; by default the users service's JWKS (JWKS_URL). Tests pass a local key. */
  accessTokenKeys?: KeySource;
}

export interface ThinkerService extends Service {
  config: ThinkerConfig;
  /** What the use cases run with (tests read the database and the queue through it). */
  deps: ThinkerDeps;
  /** Present when THINKER_RUN_WORKER is on. */
  reconciler: RepeatingRound | undefined;
  bus: EventBus;
}

/** One part of the process: what it starts, and its shutdown steps in order. */
interface Part {
  start(): Promise<void>;
  stops: Stop[];
}

/**
 * The thinker service's composition root, used by main.ts and the component tests alike:
 * config → pools and the event bus → use-case dependencies → the parts this process runs (the API
 * with its event consumer and inbox pruner when THINKER_RUN_API, the generation worker with its
 * reconciler when THINKER_RUN_WORKER; the outbox relay always) → shutdown steps.
 */
export async function createThinkerService(config: ThinkerConfig, overrides: ThinkerServiceOverrides = {}): Promise<ThinkerService> {
  const { logger, metrics } = createTelemetry(serviceName, { level: config.LOG_LEVEL, logger: overrides.logger });
  const database = createDatabase(config.DATABASE_URL, { max: config.DATABASE_POOL_MAX });
  // Commands on the request path fail fast while Redis is down (the database keeps the truth, the reconciler catches up).
  const redis = createRedis({ url: config.REDIS_URL, purpose: 'commands', name: 'redis', logger });
  const bus = createEventBus(config, { service: serviceName, logger, metrics });
  const deps = createDeps(config, { database, redis, logger, metrics });

  const api = config.THINKER_RUN_API ? await apiPart(config, { deps, bus, redis, database, logger, metrics, keys: overrides.accessTokenKeys }) : undefined;
  const worker = config.THINKER_RUN_WORKER ? workerPart(config, deps, logger, bus.budget) : undefined;
  const outbox = { relay: new OutboxRelay({ db: database.db, sql: database.sql, sink: bus.publisher, logger }), pruner: api?.pruner };

  const service = defineService({
    app: api?.app,
    logger,
    config,
    start: async () => {
      await openRedis(redis).catch((error: unknown) => logger.warn({ err: error }, 'redis not reachable yet'));
      await bus.start(outbox);
      await worker?.start();
    },
    stops: [
      ...bus.stops({ ...outbox, workers: worker?.stops }),
      [
        'redis',
        async () => {
          await deps.queue.close();
          await closeRedis(redis);
        },
      ],
      ['postgres', () => database.close({ timeoutMs: bus.budget.database })],
    ],
  });
  return { ...service, config, deps, reconciler: worker?.reconciler, bus };
}

function createDeps(config: ThinkerConfig, o: { database: DatabaseClient; redis: Redis; logger: ServiceLogger; metrics: ServiceMetrics }): ThinkerDeps {
  const { ollama, policy } = generationSettings(config);
  const integration = ollama ? createOllamaIntegration(ollama, { logger: o.logger }) : undefined;
  // Loaded once; a weights file that fails its checks stops the service at start with the reason.
  const offlineScorer = loadOfflineScorer(sentimentModelPath());
  if (config.SENTIMENT_SCORER === 'ollama' && !integration) o.logger.warn('SENTIMENT_SCORER is ollama but OLLAMA_HOST is empty: scoring offline');
  const scorer: SentimentScorer = config.SENTIMENT_SCORER === 'ollama' && integration ? integration.scorer : offlineScorer;
  const fallbackScorer = scorer === offlineScorer ? undefined : offlineScorer;
  const now = () => new Date();
  return {
    db: o.database.db,
    queue: new GenerateQueue({
      connection: o.redis,
      prefix: config.THINKER_REDIS_PREFIX,
      attempts: config.GENERATE_JOB_ATTEMPTS,
      retryBaseDelayMs: config.GENERATE_RETRY_BASE_DELAY_MS,
    }),
    engine: { writer: integration?.writer, scorer, fallbackScorer, policy, clock: now, logger: o.logger },
    sentiment: { scorer, fallbackScorer, policy },
    ollama: integration && ollama ? { model: ollama.model, listModels: integration.listModels } : undefined,
    metrics: createThinkerMetrics(o.metrics.registry),
    logger: o.logger,
    settings: {
      approvalNegativeThreshold: config.APPROVAL_NEGATIVE_THRESHOLD,
      maxGenerationsInFlight: config.USER_MAX_GENERATIONS_IN_FLIGHT,
      reconcileGraceMs: config.RECONCILE_GRACE_MS,
    },
    now,
  };
}

/**
 * The committed weights: model/ beside the sources, or, run from the bundle (dist/main.js in the
 * image), the copy tools/build-app.mjs puts in dist/model/.
 */
function sentimentModelPath(): string {
  const bundled = fileURLToPath(new URL('./model/sentiment.bin', import.meta.url));
  return existsSync(bundled) ? bundled : defaultModelPath;
}

/** The HTTP API, the event consumer (searches, publications, erasures), and the pruner of its inbox. */
async function apiPart(
  config: ThinkerConfig,
  o: {
    deps: ThinkerDeps;
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
  const app = await buildThinkerApp({
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

/** The thinker.generate worker, and the reconciler that re-creates in Redis what the database says is pending. */
function workerPart(config: ThinkerConfig, deps: ThinkerDeps, logger: ServiceLogger, budget: ShutdownBudget): Part & { reconciler: RepeatingRound } {
  const reconciler = new RepeatingRound({ what: 'reconciliation', intervalMs: config.RECONCILE_INTERVAL_MS, round: () => reconcile(deps), logger: deps.logger });
  // Workers block on Redis and must never give up a command.
  const workerRedis = createRedis({ url: config.REDIS_URL, purpose: 'blocking', name: 'redis-worker', logger });
  let worker: Worker | undefined;
  return {
    reconciler,
    async start() {
      worker = createGenerateWorker(deps, {
        connection: workerRedis,
        prefix: config.THINKER_REDIS_PREFIX,
        concurrency: config.WORKER_CONCURRENCY,
        lockDurationMs: config.WORKER_LOCK_DURATION_MS,
        stalledIntervalMs: config.WORKER_STALLED_INTERVAL_MS,
        maxStalledCount: config.WORKER_MAX_STALLED_COUNT,
        retry: { baseMs: config.GENERATE_RETRY_BASE_DELAY_MS, maxMs: config.GENERATE_RETRY_MAX_DELAY_MS },
      });
      reconciler.start();
    },
    stops: [
      // Running generations get a moment to finish; then their model calls are aborted (the jobs run
      // again later, on this or another worker), so a slow model never holds the shutdown up.
      stopWithin(
        'worker',
        budget.share(0.04),
        async () => {
          if (!worker) return;
          const running = worker;
          const cancel = setTimeout(() => running.cancelAllJobs('the worker is shutting down'), budget.share(0.01));
          try {
            await running.close();
          } finally {
            clearTimeout(cancel);
          }
        },
        logger,
      ),
      ['reconciler', () => reconciler.stop()],
      ['redis worker connection', () => closeRedis(workerRedis)],
    ],
  };
}
