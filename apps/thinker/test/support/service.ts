import { consumerQueueName, consumerTopologyQueues, defaultRetryDelaysMs, producerExchangeName, unroutedExchangeName, unroutedQueueName } from '@trendcast/messaging';
import { localKeys } from '@trendcast/service-kit';
import { createTestDatabase, createTestTokenSigner, testEnv, uniqueName, type TestDatabase, type TestTokenSigner } from '@trendcast/testing';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { loadThinkerConfig, type ThinkerConfig } from '../../src/config.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { createThinkerService, type ThinkerService } from '../../src/service.js';

export interface ThinkerStack {
  db: TestDatabase;
  signer: TestTokenSigner;
  /** Environment a service process of this stack runs with (also for a child process). */
  env: Record<string, string>;
  config: ThinkerConfig;
  service: ThinkerService;
  /** The namespaced exchange a producer publishes to. */
  exchangeOf(producer: 'trends' | 'tweeter' | 'users' | 'thinker'): string;
  close(): Promise<void>;
}

/**
 * The thinker service as main.ts wires it (service.ts), on real PostgreSQL (a database of its own),
 * Redis (its own key prefix) and RabbitMQ (its own namespace); offline unless the test passes
 * OLLAMA_HOST (a fake Ollama from @trendcast/fakes); timings shortened so retries run in seconds.
 */
export async function startThinker(o: { env?: Record<string, string>; start?: boolean } = {}): Promise<ThinkerStack> {
  const db = await createTestDatabase('thinker');
  await migrateDatabase(db.url);
  const signer = await createTestTokenSigner();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    DATABASE_URL: db.url,
    REDIS_URL: testEnv.redisUrl,
    RABBITMQ_URL: testEnv.rabbitUrl,
    RABBITMQ_NAMESPACE: uniqueName('thinker'),
    THINKER_REDIS_PREFIX: uniqueName('bull'),
    PUBLIC_BASE_URL: 'https://app.trendcast.test',
    OLLAMA_HOST: '',
    OLLAMA_TIMEOUT_MS: '3000',
    OLLAMA_MAX_ATTEMPTS: '2',
    OLLAMA_RETRY_BASE_MS: '10',
    OLLAMA_RETRY_MAX_MS: '50',
    GENERATE_RETRY_BASE_DELAY_MS: '100',
    GENERATE_RETRY_MAX_DELAY_MS: '400',
    WORKER_LOCK_DURATION_MS: '2000',
    WORKER_STALLED_INTERVAL_MS: '500',
    RECONCILE_INTERVAL_MS: '500',
    RECONCILE_GRACE_MS: '1000',
    ...o.env,
  };
  const config = loadThinkerConfig(env);
  const service = await createThinkerService(config, { accessTokenKeys: localKeys([signer.publicJwk]) });
  if (o.start ?? true) await service.start();
  return {
    db,
    signer,
    env,
    config,
    service,
    exchangeOf: (producer) => producerExchangeName(producer, config.RABBITMQ_NAMESPACE),
    close: async () => {
      await service.stop();
      await db.drop();
      await removeRedisKeys(config.THINKER_REDIS_PREFIX);
      await removeRabbitTopology(config.RABBITMQ_NAMESPACE);
    },
  };
}

async function removeRedisKeys(prefix: string): Promise<void> {
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

/** Only ever a test run's own namespace: its consumer queues and the exchanges declared in it. */
async function removeRabbitTopology(namespace: string | undefined): Promise<void> {
  if (!namespace) return;
  const connection = await amqp.connect(testEnv.rabbitUrl);
  try {
    const channel = await connection.createChannel();
    for (const producer of ['trends', 'tweeter', 'users']) {
      for (const queue of consumerTopologyQueues(consumerQueueName('thinker', producer, namespace), defaultRetryDelaysMs)) await channel.deleteQueue(queue);
    }
    for (const producer of ['trends', 'tweeter', 'users', 'thinker']) {
      const exchange = producerExchangeName(producer, namespace);
      await channel.deleteExchange(exchange);
      await channel.deleteExchange(unroutedExchangeName(exchange));
      await channel.deleteQueue(unroutedQueueName(exchange));
    }
  } finally {
    await connection.close();
  }
}
