import { EventConsumer, RabbitConnection } from '@trendcast/messaging';
import type { Logger, ServiceApp, ServiceMetrics, Stop } from '@trendcast/service-kit';
import { createMetrics } from '@trendcast/service-kit';
import { Redis } from 'ioredis';
import { buildNotifierApp } from './app.js';
import type { NotifierConfig } from './config.js';
import { subscribeNotifier } from './consumers/subscriptions.js';
import { parseMailFrom } from './email/addresses.js';
import { EmailQueue } from './email/email-queue.js';
import { createMailTransport } from './email/mail-transport.js';
import { redactSmtpUrl } from './email/smtp-url.js';
import { createNotifierMetrics, type NotifierMetrics } from './metrics.js';
import { RecipientStore } from './recipients/recipient-store.js';
import { createEmailDelivery } from './use-cases/deliver-email.js';
import { createRecipientProjection } from './use-cases/project-recipient.js';
import { createEmailScheduling } from './use-cases/queue-emails.js';
import { createEmailWorker } from './workers/email-worker.js';

export interface Notifier {
  app: ServiceApp;
  metrics: ServiceMetrics & { notifier: NotifierMetrics };
  consumer: EventConsumer;
  emailQueue: EmailQueue;
  recipients: RecipientStore;
  /** Connects and starts consuming and sending; does not listen (main.ts does). */
  start(): Promise<void>;
  /** In order: stop taking events, let running mails finish, then close connections. */
  stops: Stop[];
}

/** Composition root of the notifier: config → clients → use cases → consumer, worker and app. */
export async function createNotifier(config: NotifierConfig, logger: Logger): Promise<Notifier> {
  const serviceMetrics = createMetrics('notifier');
  const metrics = { ...serviceMetrics, notifier: createNotifierMetrics(serviceMetrics.registry) };

  const redis = new Redis(config.REDIS_URL);
  // A worker blocks on Redis and must never give up a command (BullMQ requires it).
  const workerRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  for (const [name, client] of [['redis', redis], ['redis-worker', workerRedis]] as const) {
    client.on('error', (err) => logger.warn({ err, client: name }, 'redis connection error'));
  }
  const rabbit = new RabbitConnection({ url: config.RABBITMQ_URL, name: 'notifier', logger, metrics: serviceMetrics.messaging });

  const recipients = new RecipientStore(redis, config.REDIS_KEY_PREFIX);
  const emailQueue = new EmailQueue({
    connection: redis,
    prefix: config.BULLMQ_PREFIX,
    attempts: config.EMAIL_ATTEMPTS,
    backoffMs: config.EMAIL_BACKOFF_MS,
    keepCompletedSeconds: config.EMAIL_KEEP_COMPLETED_SECONDS,
    keepFailedSeconds: config.EMAIL_KEEP_FAILED_SECONDS,
  });
  const transport = createMailTransport(config.SMTP_URL);

  const consumer = subscribeNotifier(
    new EventConsumer(rabbit, {
      service: config.EVENT_CONSUMER_NAME,
      namespace: config.RABBITMQ_NAMESPACE,
      prefetch: config.EVENT_PREFETCH,
      logger,
      metrics: serviceMetrics.messaging,
    }),
    {
      projection: createRecipientProjection(recipients, metrics.notifier),
      queueEmails: createEmailScheduling({ emails: emailQueue, maxEventAgeMs: config.EMAIL_KEEP_COMPLETED_SECONDS * 1000 }),
    },
  );
  const worker = createEmailWorker({
    connection: workerRedis,
    prefix: config.BULLMQ_PREFIX,
    concurrency: config.EMAIL_CONCURRENCY,
    autorun: false,
    logger,
    metrics: metrics.notifier,
    deliver: createEmailDelivery({
      recipients,
      transport,
      from: parseMailFrom(config.MAIL_FROM),
      templateContext: { productName: config.PRODUCT_NAME, publicBaseUrl: config.PUBLIC_BASE_URL },
    }),
  });

  const app = await buildNotifierApp({ logger, metrics: serviceMetrics, redis, rabbit, bodyLimit: config.HTTP_BODY_LIMIT_BYTES });

  return {
    app,
    metrics,
    consumer,
    emailQueue,
    recipients,
    async start() {
      await Promise.all([redis.ping(), workerRedis.ping()]);
      await rabbit.start();
      worker.run().catch((err: unknown) => logger.error({ err }, 'email worker stopped with an error'));
      await worker.waitUntilReady();
      await consumer.start();
      logger.info({ smtp: redactSmtpUrl(config.SMTP_URL), consumer: config.EVENT_CONSUMER_NAME }, 'notifier running');
    },
    stops: [
      ['http', () => app.close()],
      ['event consumer', () => consumer.stop()],
      ['email worker', () => worker.close()],
      ['email queue', () => emailQueue.close()],
      ['smtp', async () => transport.close()],
      ['rabbitmq', () => rabbit.close()],
      ['redis', () => closeRedis(redis, workerRedis)],
    ],
  };
}

async function closeRedis(...clients: Redis[]): Promise<void> {
  // quit() waits for a reply that a never-connected client would not get.
  await Promise.all(clients.map((client) => (client.status === 'ready' ? client.quit().then(() => undefined) : client.disconnect())));
}
