import { parkedOutbox } from '@trendcast/outbox';
import {
  buildServiceApp,
  type AccessTokenOptions,
  type ReadinessCheck,
  type ServiceApp,
  type ServiceLogger,
  type ServiceMetrics,
} from '@trendcast/service-kit';
import type { TweeterConfig } from './config.js';
import { channelRoutes } from './routes/channel-routes.js';
import { tweeterErrorStatuses } from './routes/error-statuses.js';
import { postRoutes } from './routes/post-routes.js';
import { timelineRoutes } from './routes/timeline-routes.js';
import type { TweeterDeps } from './use-cases/deps.js';

export const serviceName = 'tweeter';

export interface TweeterAppOptions {
  config: Pick<TweeterConfig, 'HTTP_BODY_LIMIT_BYTES' | 'TRUST_PROXY'>;
  deps: TweeterDeps;
  logger: ServiceLogger;
  metrics: ServiceMetrics;
  accessTokens: AccessTokenOptions;
  readiness: Record<string, ReadinessCheck>;
}

/** The HTTP API under /tweeter (the gateway maps /api/tweeter/* here). Never listens. */
export async function buildTweeterApp(o: TweeterAppOptions): Promise<ServiceApp> {
  const app = await buildServiceApp({
    service: serviceName,
    logger: o.logger,
    metrics: o.metrics,
    accessTokens: o.accessTokens,
    domainErrors: tweeterErrorStatuses,
    readiness: o.readiness,
    bodyLimit: o.config.HTTP_BODY_LIMIT_BYTES,
    trustProxy: o.config.TRUST_PROXY,
    openapi: { title: 'Trendcast tweeter API', version: '1' },
    // Admin-only, outside /tweeter: the operators' console lists and replays parked events.
    outbox: parkedOutbox(o.deps.db),
  });
  await app.register(channelRoutes, { prefix: '/tweeter', deps: o.deps });
  await app.register(postRoutes, { prefix: '/tweeter', deps: o.deps });
  await app.register(timelineRoutes, { prefix: '/tweeter', deps: o.deps });
  return app;
}
