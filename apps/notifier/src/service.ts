import type { EventConsumer } from '@trendcast/messaging';
import {
  closeRedis,
  createEventBus,
  createTelemetry,
  createRedis,
  defineService,
  openRedis,
  type EventBus,
  type Service,
  type ServiceApp,
  type ServiceLogger,
  type ServiceMetrics,
} from '@trendcast/service-kit';
import { buildNotifierApp, serviceName } from './app.js';
import type { NotifierConfig } from './config.js';
import { subscribe } from './consumers/subscriptions.js';
import { RecipientStore } from './data/recipient-store.js';
import { parseMailFrom } from './domain/addresses.js';
import { createMailTransport } from './integrations/smtp/mail-transport.js';
import { redactSmtpUrl } from './integrations/smtp/smtp-url.js';
import { createNotifierMetrics, type NotifierMetrics } from './metrics.js';
import type { NotifierDeps } from './use-cases/deps.js';
import { EmailQueue } from './workers/email-queue.js';
import { createEmailWorker } from './workers/email-worker.js';

export interface NotifierServiceOverrides {
  logger?: ServiceLogger;
}

export interface NotifierService extends Service {
  app: ServiceApp;
  metrics: ServiceMetrics & { notifier: NotifierMetrics };
  consumer: EventConsumer;
  emailQueue: EmailQueue;
  recipients: RecipientStore;
  bus: EventBus;
}

/**
 * The notifier's composition root, used by main.ts and the component tests alike: config → Redis,
 * the event bus, SMTP → use-case dependencies → event consumer, email worker, HTTP app (health,
 * readiness, metrics) → shutdown steps: stop taking events, let running mails finish, close connections.
 * No SQL, so no inbox and no inbox pruner: its handlers are idempotent by key instead (one email job id per
 * event and mail, kept EMAIL_KEEP_COMPLETED_SECONDS; see workers/email-queue.ts).
 */
export async function createNotifierService(config: NotifierConfig, overrides: NotifierServiceOverrides = {}): Promise<NotifierService> {
  const { logger, metrics: serviceMetrics } = createTelemetry(serviceName, { level: config.LOG_LEVEL, logger: overrides.logger });
  const metrics = { ...serviceMetrics, notifier: createNotifierMetrics(serviceMetrics.registry) };

  const redis = createRedis({ url: config.REDIS_URL, purpose: 'commands', name: 'redis', logger });
  // A worker blocks on Redis and must never give up a command.
  const workerRedis = createRedis({ url: config.REDIS_URL, purpose: 'blocking', name: 'redis-worker', logger });
  const bus = createEventBus(config, { service: serviceName, logger, metrics: serviceMetrics });

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
  const deps: NotifierDeps = {
    recipients,
    emails: emailQueue,
    transport,
    from: parseMailFrom(config.MAIL_FROM),
    templateContext: { productName: config.PRODUCT_NAME, publicBaseUrl: config.PUBLIC_BASE_URL },
    metrics: metrics.notifier,
    maxEventAgeMs: config.EMAIL_KEEP_COMPLETED_SECONDS * 1000,
    now: Date.now,
  };

  const consumer = subscribe(bus.consumer({ service: config.EVENT_CONSUMER_NAME, prefetch: config.EVENT_PREFETCH }), deps);
  const worker = createEmailWorker({
    connection: workerRedis,
    prefix: config.BULLMQ_PREFIX,
    concurrency: config.EMAIL_CONCURRENCY,
    autorun: false,
    logger,
    deps,
  });
  const app = await buildNotifierApp({ config, logger, metrics: serviceMetrics, redis, bus });

  const service = defineService({
    app,
    logger,
    config,
    start: async () => {
      await Promise.all([openRedis(redis), openRedis(workerRedis)]);
      worker.run().catch((err: unknown) => logger.error({ err }, 'email worker stopped with an error'));
      await worker.waitUntilReady();
      await bus.start();
      logger.info({ smtp: redactSmtpUrl(config.SMTP_URL), consumer: config.EVENT_CONSUMER_NAME }, 'notifier running');
    },
    stops: [
      ...bus.stops({
        workers: [
          ['email worker', () => worker.close()],
          ['email queue', () => emailQueue.close()],
          ['smtp', async () => transport.close()],
        ],
      }),
      ['redis', () => closeRedis(redis, workerRedis)],
    ],
  });
  return { ...service, app, metrics, consumer, emailQueue, recipients, bus };
}
