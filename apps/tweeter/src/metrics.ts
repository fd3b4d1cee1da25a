import type { ServiceMetrics } from '@trendcast/service-kit';
import { Counter } from 'prom-client';

/** tweeter's own series, on the service's registry (served at /metrics). */
export interface TweeterMetrics {
  /** Posts that reached an end: outcome published | failed | cancelled, by channel kind (the Grafana dashboard reads it). */
  postsTotal: Counter<'outcome' | 'channel_kind'>;
}

export function createTweeterMetrics(metrics: ServiceMetrics): TweeterMetrics {
  return {
    postsTotal: new Counter({
      name: 'tweeter_posts_total',
      help: 'Posts that reached an end, by outcome (published, failed, cancelled) and channel kind',
      labelNames: ['outcome', 'channel_kind'] as const,
      registers: [metrics.registry],
    }),
  };
}
