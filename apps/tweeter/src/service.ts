import { RepeatingRound } from '@trendcast/core';
import { InboxPruner, OutboxRelay } from '@trendcast/outbox';
import {
  accessTokensFrom,
  closeRedis,
  createEventBus,
  createLogger,
  createRedis,
  createTelemetry,
  defineService,
  type EventBus,
  type KeySource,
  type LoggerOptions,
  openRedis,
  type Service,
  type ServiceApp,
  type ServiceLogger,
  type ServiceMetrics,
  type Stop,
} from '@trendcast/service-kit';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { buildTweeterApp, serviceName } from './app.js';
import { mastodonCallbackUrl, outboundHttpOptions, retrySettings, type TweeterConfig } from './config.js';
import { subscribe } from './consumers/subscriptions.js';
import { createDatabase, type DatabaseClient } from './db/client.js';
import { GuardedHttpClient, type Resolver } from './integrations/http/guarded-http-client.js';
import { InstanceLimitsCache } from './integrations/mastodon/mastodon-adapter.js';
import { createTweeterMetrics } from './metrics.js';
import { CredentialCipher } from './security/credential-cipher.js';
import { tweeterRedactPaths } from './security/redaction.js';
import type { TweeterDeps } from './use-cases/deps.js';
import { reconcile } from './use-cases/reconcile.js';
import { createPublishWorker } from './workers/publish-worker.js';
import { PublishQueue } from './workers/publish-queue.js';

export interface TweeterServiceOverrides {
  logger?: ServiceLogger;
  /** Where the service's own logger writes (tests read every line back); stdout by default. */
  logDestination?: LoggerOptions['destination'];
  /** Where access-token keys come from; by default the users service's JWKS (JWKS_URL). Tests pass a local key. */
  accessTokenKeys?: KeySource;
  /** Name resolution for outbound calls (tests make a name resolve to 127.0.0.1); the system resolver by default. */
  resolver?: Resolver;
}

export interface TweeterService extends Service {
  config: TweeterConfig;
  /** What the use cases run with (tests read the database and the queue through it). */
  deps: TweeterDeps;
  /** Present when TWEETER_RUN_WORKER is on. */
  reconciler: RepeatingRound | undefined;
  bus: EventBus;
}

/** One part of the process: what it starts, and its shutdown steps in order. */
interface Part {
  start(): Promise<void>;
  stops: Stop[];
}

/**
 * The tweeter service's composition root, used by main.ts and the component tests alike:
 * config → pools and the event bus → use-case dependencies → the parts this process runs (the API
 * with its event consumer and inbox pruner when TWEETER_RUN_API, the publish worker with its
 * reconciler when TWEETER_RUN_WORKER; the outbox relay always) → shutdown steps.
 */
export async function createTweeterService(config: TweeterConfig, overrides: TweeterServiceOverrides = {}): Promise<TweeterService> {
  const { logger, metrics } = createTelemetry(serviceName, {
    level: config.LOG_LEVEL,
    logger: overrides.logger ?? createLogger({ service: serviceName, level: config.LOG_LEVEL, redact: tweeterRedactPaths, ...(overrides.logDestination ? { destination: overrides.logDestination } : {}) }),
  });
  if (config.credentialKeyring.usingDevelopmentKey) logger.warn('CREDENTIALS_KEYS is not set: credentials are sealed with the public development key');
  const database = createDatabase(config.DATABASE_URL, { max: config.DATABASE_POOL_MAX });
  // Commands on the request path fail fast while Redis is down (the database keeps the truth, the reconciler catches up).
  const redis = createRedis({ url: config.REDIS_URL, purpose: 'commands', name: 'redis', logger });
  const bus = createEventBus(config, { service: serviceName, logger, metrics });
  const http = new GuardedHttpClient({ ...outboundHttpOptions(config), ...(overrides.resolver ? { resolver: overrides.resolver } : {}) });
  const deps = createDeps(config, { database, redis, http, logger, metrics });

  const api = config.TWEETER_RUN_API ? await apiPart(config, { deps, bus, redis, database, logger, metrics, keys: overrides.accessTokenKeys }) : undefined;
  const worker = config.TWEETER_RUN_WORKER ? workerPart(config, deps, logger) : undefined;
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
      ['outbound http', () => http.close()],
      ['postgres', () => database.close({ timeoutMs: bus.budget.database })],
    ],
  });
  return { ...service, config, deps, reconciler: worker?.reconciler, bus };
}

function createDeps(
  config: TweeterConfig,
  o: { database: DatabaseClient; redis: Redis; http: GuardedHttpClient; logger: ServiceLogger; metrics: ServiceMetrics },
): TweeterDeps {
  const keyring = config.credentialKeyring;
  return {
    db: o.database.db,
    queue: new PublishQueue({ connection: o.redis, prefix: config.TWEETER_REDIS_PREFIX }),
    cipher: new CredentialCipher(keyring.keys, keyring.activeKeyId),
    http: o.http,
    limitsCache: new InstanceLimitsCache(config.INSTANCE_LIMITS_CACHE_SECONDS * 1000),
    logger: o.logger,
    metrics: createTweeterMetrics(o.metrics),
    now: () => new Date(),
    settings: {
      publicBaseUrl: config.PUBLIC_BASE_URL,
      mastodonCallbackUrl: mastodonCallbackUrl(config),
      mastodonAppName: config.MASTODON_APP_NAME,
      mastodonAppWebsite: config.MASTODON_APP_WEBSITE,
      oauthStateTtlMs: config.OAUTH_STATE_TTL_SECONDS * 1000,
      allowHttpInstances: config.OUTBOUND_ALLOW_HTTP,
      retry: retrySettings(config),
      leaseMs: config.PUBLISH_LEASE_MS,
      channelConcurrency: config.PUBLISH_CHANNEL_CONCURRENCY,
      reconcileLookaheadMs: config.RECONCILE_LOOKAHEAD_MS,
    },
  };
}

/** The HTTP API, the consumer of approvals and erasures, and the pruner of that consumer's inbox. */
async function apiPart(
  config: TweeterConfig,
  o: { deps: TweeterDeps; bus: EventBus; redis: Redis; database: DatabaseClient; logger: ServiceLogger; metrics: ServiceMetrics; keys: KeySource | undefined },
): Promise<{ app: ServiceApp; pruner: InboxPruner }> {
  const consumer = subscribe(o.bus.consumer(), o.deps);
  const pruner = InboxPruner.forConsumer(consumer, { db: o.database.db, logger: o.logger, retentionDays: config.INBOX_RETENTION_DAYS });
  const app = await buildTweeterApp({
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

/** The publish worker, and the reconciler that re-creates in Redis what the database says is due. */
function workerPart(config: TweeterConfig, deps: TweeterDeps, logger: ServiceLogger): Part & { reconciler: RepeatingRound } {
  const reconciler = new RepeatingRound({ what: 'reconciliation', intervalMs: config.RECONCILE_INTERVAL_MS, round: () => reconcile(deps), logger: deps.logger });
  // Workers block on Redis and must never give up a command.
  const workerRedis = createRedis({ url: config.REDIS_URL, purpose: 'blocking', name: 'redis-worker', logger });
  let worker: Worker | undefined;
  return {
    reconciler,
    async start() {
      worker = createPublishWorker(deps, {
        connection: workerRedis,
        prefix: config.TWEETER_REDIS_PREFIX,
        concurrency: config.PUBLISH_CONCURRENCY,
        lockDurationMs: config.WORKER_LOCK_DURATION_MS,
        stalledIntervalMs: config.WORKER_STALLED_INTERVAL_MS,
      });
      worker.run().catch((error: unknown) => logger.error({ err: error }, 'publish worker stopped'));
      reconciler.start();
    },
    stops: [
      ['worker', async () => worker?.close()],
      ['reconciler', () => reconciler.stop()],
      ['redis worker connection', () => closeRedis(workerRedis)],
    ],
  };
}
