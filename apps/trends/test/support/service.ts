import { consumerQueueName, consumerTopologyQueues, defaultRetryDelaysMs, producerExchangeName, unroutedExchangeName, unroutedQueueName } from '@trendcast/messaging';
import { createTestDatabase, testEnv, uniqueName, type TestDatabase } from '@trendcast/testing';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { loadTrendsConfig, type TrendsConfig } from '../../src/config.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { createTrendsService, type TrendsService } from '../../src/service.js';
import { FakeGoogleTrends, type FakeGoogleTrendsOptions } from '../fake-google/fake-google-trends.js';
import { createTestAuth, type TestAuth } from './auth.js';

export interface TestStack {
  db: TestDatabase;
  fake: FakeGoogleTrends;
  auth: TestAuth;
  /** Environment a service process of this stack runs with (also for a child process). */
  env: Record<string, string>;
  config: TrendsConfig;
  service: TrendsService;
  close(): Promise<void>;
}

/**
 * The trends service as main.ts wires it (service.ts), on real PostgreSQL (a database of its own), Redis (its own key prefix) and
 * RabbitMQ, asking the fake Google Trends; timings shortened so retries and schedules run in seconds.
 */
export async function startTestStack(
  options: { env?: Record<string, string>; fake?: FakeGoogleTrendsOptions; start?: boolean } = {},
): Promise<TestStack> {
  const db = await createTestDatabase('trends');
  await migrateDatabase(db.url);
  const fake = await new FakeGoogleTrends(options.fake).start();
  const auth = await createTestAuth();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    DATABASE_URL: db.url,
    REDIS_URL: testEnv.redisUrl,
    RABBITMQ_URL: testEnv.rabbitUrl,
    RABBITMQ_NAMESPACE: uniqueName('trends'),
    TRENDS_REDIS_PREFIX: uniqueName('bull'),
    GOOGLE_TRENDS_ORIGIN: fake.origin.href,
    GOOGLE_MIN_INTERVAL_MS: '0',
    GOOGLE_REQUEST_TIMEOUT_MS: '3000',
    GOOGLE_RATE_LIMIT_COOLDOWN_MS: '50',
    SEARCH_ATTEMPTS: '3',
    SEARCH_RETRY_BASE_DELAY_MS: '100',
    SEARCH_RETRY_MAX_DELAY_MS: '400',
    WORKER_LOCK_DURATION_MS: '2000',
    WORKER_STALLED_INTERVAL_MS: '500',
    WATCH_MIN_INTERVAL_SECONDS: '1',
    RECONCILE_INTERVAL_MS: '500',
    RECONCILE_GRACE_MS: '1000',
    ...options.env,
  };
  const config = loadTrendsConfig(env);
  const service = await createTrendsService(config, { accessTokenKeys: auth.keys });
  if (options.start ?? true) await service.start();
  return {
    db,
    fake,
    auth,
    env,
    config,
    service,
    close: async () => {
      await service.stop();
      await fake.close();
      await db.drop();
      await removeRedisKeys(config.TRENDS_REDIS_PREFIX);
      await removeRabbitTopology(config.RABBITMQ_NAMESPACE);
    },
  };
}

export async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(testEnv.redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** The namespaced queues and exchanges the service declared: its users.user.deleted consumer and its own trends.events. */
export async function removeRabbitTopology(namespace: string | undefined): Promise<void> {
  // Only ever a test run's own namespace: never the shared, unprefixed exchanges.
  if (!namespace) return;
  const connection = await amqp.connect(testEnv.rabbitUrl);
  try {
    const channel = await connection.createChannel();
    for (const queue of consumerTopologyQueues(consumerQueueName('trends', 'users', namespace), defaultRetryDelaysMs)) {
      await channel.deleteQueue(queue);
    }
    for (const exchange of [producerExchangeName('users', namespace), producerExchangeName('trends', namespace)]) {
      await channel.deleteExchange(exchange);
      await channel.deleteExchange(unroutedExchangeName(exchange));
      await channel.deleteQueue(unroutedQueueName(exchange));
    }
  } finally {
    await connection.close();
  }
}
