import { consumerQueueName, consumerTopologyQueues, defaultRetryDelaysMs, producerExchangeName, unroutedExchangeName, unroutedQueueName } from '@trendcast/messaging';
import { decodeEvent, type AnyDomainEvent } from '@trendcast/events';
import { assertProducerExchange } from '@trendcast/messaging';
import { localKeys } from '@trendcast/service-kit';
import { createTestDatabase, createTestTokenSigner, testEnv, uniqueName, waitFor, type TestDatabase, type TestTokenSigner } from '@trendcast/testing';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { Writable } from 'node:stream';
import { loadTweeterConfig, type TweeterConfig } from '../../src/config.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { createTweeterService, type TweeterService, type TweeterServiceOverrides } from '../../src/service.js';

export interface TweeterStack {
  db: TestDatabase;
  signer: TestTokenSigner;
  /** Environment a service process of this stack runs with (also for a child process). */
  env: Record<string, string>;
  config: TweeterConfig;
  service: TweeterService;
  /** Every line the service logged (at LOG_LEVEL, debug by default). */
  logs: string[];
  headersFor(userId: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * The tweeter service as main.ts wires it (service.ts), on real PostgreSQL (a database of its own),
 * Redis (its own key prefix) and RabbitMQ (its own namespace); timings shortened so retries,
 * leases and the reconciler act in seconds. Outbound calls may reach loopback (the fake Mastodon).
 */
export async function startTweeter(
  o: { env?: Record<string, string>; start?: boolean; overrides?: TweeterServiceOverrides } = {},
): Promise<TweeterStack> {
  const db = await createTestDatabase('tweeter');
  await migrateDatabase(db.url);
  const signer = await createTestTokenSigner();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    PORT: '0',
    DATABASE_URL: db.url,
    REDIS_URL: testEnv.redisUrl,
    RABBITMQ_URL: testEnv.rabbitUrl,
    RABBITMQ_NAMESPACE: uniqueName('tweeter'),
    TWEETER_REDIS_PREFIX: uniqueName('bull'),
    PUBLIC_BASE_URL: 'https://trendcast.example',
    OUTBOUND_ALLOW_HTTP: 'true',
    OUTBOUND_ALLOW_PRIVATE_ADDRESSES: 'true',
    OUTBOUND_TIMEOUT_MS: '1500',
    PUBLISH_RETRY_BASE_DELAY_MS: '100',
    PUBLISH_RETRY_MAX_DELAY_MS: '400',
    PUBLISH_RATE_LIMIT_FALLBACK_MS: '500',
    PUBLISH_LEASE_MS: '3000',
    WORKER_LOCK_DURATION_MS: '2000',
    WORKER_STALLED_INTERVAL_MS: '500',
    RECONCILE_INTERVAL_MS: '300',
    RECONCILE_LOOKAHEAD_MS: '5000',
    ...o.env,
  };
  const config = loadTweeterConfig(env);
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  const service = await createTweeterService(config, { accessTokenKeys: localKeys([signer.publicJwk]), logDestination, ...o.overrides });
  if (o.start ?? true) await service.start();
  return {
    db,
    signer,
    env,
    config,
    service,
    logs,
    headersFor: (userId) => signer.headersFor(userId),
    close: async () => {
      await service.stop();
      await db.drop();
      await removeRedisKeys(config.TWEETER_REDIS_PREFIX);
      await removeRabbitTopology(config.RABBITMQ_NAMESPACE);
    },
  };
}

/** Deletes the keys of one prefix (this run's), never anything else: SCAN + DEL, no FLUSHALL. */
export async function removeRedisKeys(prefix: string): Promise<number> {
  const redis = new Redis(testEnv.redisUrl);
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) removed += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return removed;
}

/** The namespaced queues and exchanges a run declared: its consumers' and tweeter.events. */
export async function removeRabbitTopology(namespace: string | undefined): Promise<void> {
  if (!namespace) return;
  const connection = await amqp.connect(testEnv.rabbitUrl);
  try {
    const channel = await connection.createChannel();
    for (const producer of ['thinker', 'users']) {
      for (const queue of consumerTopologyQueues(consumerQueueName('tweeter', producer, namespace), defaultRetryDelaysMs)) await channel.deleteQueue(queue);
    }
    for (const producer of ['thinker', 'users', 'tweeter']) {
      const exchange = producerExchangeName(producer, namespace);
      await channel.deleteExchange(exchange);
      await channel.deleteExchange(unroutedExchangeName(exchange));
      await channel.deleteQueue(unroutedQueueName(exchange));
    }
  } finally {
    await connection.close();
  }
}

/** What a producer's exchange carried while the tap was open. */
export interface EventTap {
  events: AnyDomainEvent[];
  raw: string[];
  waitFor(match: (event: AnyDomainEvent) => boolean, timeoutMs?: number): Promise<AnyDomainEvent>;
  close(): Promise<void>;
}

export async function tapEvents(stack: TweeterStack, producer = 'tweeter'): Promise<EventTap> {
  const exchange = producerExchangeName(producer, stack.config.RABBITMQ_NAMESPACE);
  const connection = await amqp.connect(testEnv.rabbitUrl, { noDelay: true });
  const channel = await connection.createChannel();
  await assertProducerExchange(channel, exchange);
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, '#');
  const events: AnyDomainEvent[] = [];
  const raw: string[] = [];
  await channel.consume(queue, (message) => {
    if (!message) return;
    raw.push(message.content.toString());
    events.push(decodeEvent(message.content));
    channel.ack(message);
  });
  return {
    events,
    raw,
    waitFor: (match, timeoutMs = 20_000) => waitFor(() => events.find(match), { timeoutMs, what: `an event on ${exchange}` }),
    close: async () => {
      await channel.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}

/** Publishes one event the way its producer would (persistent, message id = event id). */
export async function publishAs(stack: TweeterStack, producer: string, event: AnyDomainEvent): Promise<void> {
  const exchange = producerExchangeName(producer, stack.config.RABBITMQ_NAMESPACE);
  const connection = await amqp.connect(testEnv.rabbitUrl);
  try {
    const channel = await connection.createConfirmChannel();
    await assertProducerExchange(channel, exchange);
    channel.publish(exchange, event.type, Buffer.from(JSON.stringify(event)), { persistent: true, messageId: event.id, contentType: 'application/json' });
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}
