import { buildServiceApp, type EventBus, type ServiceApp, type ServiceLogger, type ServiceMetrics } from '@trendcast/service-kit';
import type { Redis } from 'ioredis';
import type { NotifierConfig } from './config.js';

export const serviceName = 'notifier';

export interface NotifierAppOptions {
  config: Pick<NotifierConfig, 'HTTP_BODY_LIMIT_BYTES' | 'TRUST_PROXY'>;
  logger: ServiceLogger;
  metrics: ServiceMetrics;
  redis: Redis;
  bus: Pick<EventBus, 'checkReady'>;
}

/**
 * The notifier's HTTP side is operational only: /healthz, /readyz (Redis and RabbitMQ) and /metrics.
 * The SMTP server is not a readiness check: while it is down, mails wait in the queue and retry.
 */
export async function buildNotifierApp(o: NotifierAppOptions): Promise<ServiceApp> {
  return buildServiceApp({
    service: serviceName,
    logger: o.logger,
    metrics: o.metrics,
    bodyLimit: o.config.HTTP_BODY_LIMIT_BYTES,
    trustProxy: o.config.TRUST_PROXY,
    readiness: {
      redis: () => o.redis.ping(),
      rabbitmq: o.bus.checkReady,
    },
  });
}
