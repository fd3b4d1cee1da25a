import type { MessagingMetrics } from '@trendcast/messaging';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface ServiceMetrics {
  /** This service's own registry (never prom-client's global one), served at /metrics. */
  registry: Registry;
  /** Hand this to EventPublisher / EventConsumer / RabbitConnection. */
  messaging: MessagingMetrics;
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  eventsPublished: Counter<'type'>;
  eventsConsumed: Counter<'type' | 'outcome'>;
  eventsPublishFailed: Counter<'type'>;
  brokerReconnects: Counter;
}

/**
 * A registry per service instance, so a test can build many apps in one process.
 * Add service-specific metrics with `new Counter({ ..., registers: [metrics.registry] })`.
 */
export function createMetrics(service: string, o: { defaultMetrics?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (o.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route pattern, method and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const eventsPublished = new Counter({
    name: 'trendcast_events_published_total',
    help: 'Domain events confirmed by the broker, by event type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const eventsConsumed = new Counter({
    name: 'trendcast_events_consumed_total',
    help: 'Domain events handled, by event type and outcome (acked, retried, dead_lettered)',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  const eventsPublishFailed = new Counter({
    name: 'trendcast_events_publish_failed_total',
    help: 'Publishes that got no broker confirm in time (the outbox relay retries them), by event type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const brokerReconnects = new Counter({
    name: 'trendcast_broker_reconnects_total',
    help: 'Reconnections to the message broker after a lost connection',
    registers: [registry],
  });

  const messaging: MessagingMetrics = {
    onPublish: (type) => eventsPublished.inc({ type }),
    onConsume: (type, outcome) => eventsConsumed.inc({ type, outcome }),
    onReconnect: () => brokerReconnects.inc(),
    onPublishFailed: (type) => eventsPublishFailed.inc({ type }),
  };

  return { registry, messaging, httpRequestDuration, eventsPublished, eventsConsumed, eventsPublishFailed, brokerReconnects };
}
