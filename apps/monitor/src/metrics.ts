import { Counter, Gauge, type Registry } from 'prom-client';

/** The monitor's own series, beside the service kit's on the same /metrics (the Grafana dashboard reads them). */
export interface MonitorMetrics {
  /** Jobs per BullMQ queue and state, as of the last refresh. */
  queueJobs: Gauge<'queue' | 'state'>;
  /** Messages waiting in each parked queue (dead letters, unrouted events), as of the last refresh. */
  deadLetters: Gauge<'queue'>;
  /** Refreshes that failed (Redis or RabbitMQ unreachable), by what failed. */
  refreshFailures: Counter<'source'>;
}

export function createMonitorMetrics(registry: Registry): MonitorMetrics {
  return {
    queueJobs: new Gauge({
      name: 'trendcast_queue_jobs',
      help: 'Jobs in each BullMQ queue by state (waiting, active, delayed, prioritized, waiting-children, paused, completed, failed)',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
    }),
    deadLetters: new Gauge({
      name: 'trendcast_dead_letter_messages',
      help: 'Messages waiting for an operator in each dead-letter (and unrouted-event) queue',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    refreshFailures: new Counter({
      name: 'trendcast_monitor_refresh_failures_total',
      help: 'Refreshes of the queue list and counts that failed, by source (redis, rabbitmq)',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
  };
}
