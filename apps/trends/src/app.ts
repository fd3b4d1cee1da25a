import { parkedOutbox } from '@trendcast/outbox';
import {
  buildServiceApp,
  type AccessTokenOptions,
  type ReadinessCheck,
  type ServiceApp,
  type ServiceLogger,
  type ServiceMetrics,
} from '@trendcast/service-kit';
import type { TrendsConfig } from './config.js';
import { trendsErrorStatuses } from './routes/error-statuses.js';
import { searchRoutes } from './routes/search-routes.js';
import { trendingRoutes } from './routes/trending-routes.js';
import { watchRoutes } from './routes/watch-routes.js';
import type { TrendsDeps } from './use-cases/deps.js';

export const serviceName = 'trends';

export interface TrendsAppOptions {
  config: Pick<TrendsConfig, 'PUBLIC_BASE_URL' | 'HTTP_BODY_LIMIT_BYTES' | 'TRUST_PROXY'>;
  deps: TrendsDeps;
  logger: ServiceLogger;
  metrics: ServiceMetrics;
  accessTokens: AccessTokenOptions;
  readiness: Record<string, ReadinessCheck>;
}

/** The HTTP API under /trends (the gateway maps /api/trends/* here). Never listens. */
export async function buildTrendsApp(o: TrendsAppOptions): Promise<ServiceApp> {
  const app = await buildServiceApp({
    service: serviceName,
    logger: o.logger,
    metrics: o.metrics,
    accessTokens: o.accessTokens,
    domainErrors: trendsErrorStatuses,
    readiness: o.readiness,
    bodyLimit: o.config.HTTP_BODY_LIMIT_BYTES,
    trustProxy: o.config.TRUST_PROXY,
    outbox: parkedOutbox(o.deps.db),
    openapi: { title: 'Trendcast trends API', version: '1' },
  });
  await app.register(searchRoutes, { prefix: '/trends', deps: o.deps, publicBaseUrl: o.config.PUBLIC_BASE_URL });
  await app.register(watchRoutes, { prefix: '/trends', deps: o.deps });
  await app.register(trendingRoutes, { prefix: '/trends', deps: o.deps });
  return app;
}
