import { createEvent, type DomainEvent, type EventData, type EventType } from '@trendcast/events';
import { deleteExchanges, deleteQueues, EventPublisher, producerExchangeName, RabbitConnection, silentLogger } from '@trendcast/messaging';
import { testEnv, uniqueName } from '@trendcast/testing';
import { Redis } from 'ioredis';
import { loadNotifierConfig, type NotifierConfig } from '../../src/config.js';
import { createNotifierService, type NotifierService } from '../../src/service.js';

export interface NotifierHarness {
  notifier: NotifierService;
  config: NotifierConfig;
  /** A connection of the test's own, as another service would have, to publish events. */
  rabbit: RabbitConnection;
  publisher: EventPublisher;
  publish<T extends EventType>(type: T, data: EventData<T>): Promise<DomainEvent<T>>;
  /** Stops the notifier and removes every queue, exchange and key it created. */
  close(): Promise<void>;
}

const producers = ['users', 'trends', 'thinker', 'tweeter'];

/**
 * The notifier as main.ts wires it (service.ts), running in this process against the real Redis and RabbitMQ, isolated from every
 * other run: its own exchange namespace, consumer name, BullMQ prefix and projection prefix.
 */
export async function startNotifier(o: { smtpUrl: string; env?: Record<string, string>; logLevel?: string }): Promise<NotifierHarness> {
  const run = uniqueName('ntf');
  const config = loadNotifierConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: o.logLevel ?? 'silent',
    RABBITMQ_URL: testEnv.rabbitUrl,
    REDIS_URL: testEnv.redisUrl,
    SMTP_URL: o.smtpUrl,
    MAIL_FROM: 'Trendcast <no-reply@trendcast.test>',
    PUBLIC_BASE_URL: 'https://trendcast.test',
    RABBITMQ_NAMESPACE: run,
    EVENT_CONSUMER_NAME: `notifier_${run}`,
    BULLMQ_PREFIX: run,
    REDIS_KEY_PREFIX: `${run}:`,
    EMAIL_BACKOFF_MS: '100',
    ...o.env,
  });
  const notifier = await createNotifierService(config);
  await notifier.start();

  const rabbit = new RabbitConnection({ url: testEnv.rabbitUrl, name: `${run}-test-publisher`, logger: silentLogger });
  await rabbit.start();
  const publisher = new EventPublisher(rabbit, { namespace: config.RABBITMQ_NAMESPACE });

  return {
    notifier,
    config,
    rabbit,
    publisher,
    async publish(type, data) {
      const event = createEvent(type, data, { source: 'test', correlationId: run });
      await publisher.publish(event);
      return event;
    },
    async close() {
      await notifier.stop();
      await deleteQueues(rabbit, notifier.consumer.queueNames());
      await deleteExchanges(rabbit, producers.map((producer) => producerExchangeName(producer, config.RABBITMQ_NAMESPACE)));
      await publisher.close();
      await rabbit.close();
      const redis = new Redis(testEnv.redisUrl);
      try {
        const keys = await redis.keys(`${run}:*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        await redis.quit();
      }
    },
  };
}
