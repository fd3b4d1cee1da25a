import type { RabbitConnection } from '@trendcast/messaging';
import { buildServiceApp, checkThat, type Logger, type ServiceApp, type ServiceMetrics } from '@trendcast/service-kit';
import type { Redis } from 'ioredis';

export interface NotifierAppOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  redis: Redis;
  rabbit: RabbitConnection;
  bodyLimit?: number;
}

/**
 * The notifier's HTTP side is operational only: /healthz, /readyz (Redis and RabbitMQ) and /metrics.
 * The SMTP server is not a readiness check: while it is down, mails wait in the queue and retry.
 */
export async function buildNotifierApp(o: NotifierAppOptions): Promise<ServiceApp> {
  return buildServiceApp({
    service: 'notifier',
    logger: o.logger,
    metrics: o.metrics,
    bodyLimit: o.bodyLimit,
    readiness: {
      redis: () => o.redis.ping(),
      rabbitmq: checkThat(() => o.rabbit.isConnected(), 'not connected to RabbitMQ'),
    },
  });
}
