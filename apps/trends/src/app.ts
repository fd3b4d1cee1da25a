import {
  buildServiceApp,
  type Logger,
  type ReadinessCheck,
  type ServiceApp,
  type ServiceMetrics,
  type TokenVerifier,
} from '@trendcast/service-kit';
import { searchRoutes } from './routes/search-routes.js';
import { trendingRoutes, type TrendingRoutesOptions } from './routes/trending-routes.js';
import { watchRoutes } from './routes/watch-routes.js';
import type { TrendsDeps } from './use-cases/deps.js';

export interface TrendsAppOptions {
  deps: TrendsDeps;
  trending: TrendingRoutesOptions;
  logger: Logger;
  metrics: ServiceMetrics;
  tokenVerifier: TokenVerifier;
  readiness: Record<string, ReadinessCheck>;
  publicBaseUrl: string;
  bodyLimit?: number;
  /** The gateway's addresses (TRUST_PROXY); default 127.0.0.1, the local gateway. */
  trustProxy?: string[] | false;
}

/** The HTTP API under /trends (the gateway maps /api/trends/* here). Never listens. */
export async function buildTrendsApp(o: TrendsAppOptions): Promise<ServiceApp> {
  const app = await buildServiceApp({
    service: 'trends',
    logger: o.logger,
    metrics: o.metrics,
    tokenVerifier: o.tokenVerifier,
    readiness: o.readiness,
    ...(o.bodyLimit ? { bodyLimit: o.bodyLimit } : {}),
    trustProxy: o.trustProxy ?? ['127.0.0.1'],
    openapi: { title: 'Trendcast trends API', version: '1' },
  });
  await app.register(searchRoutes, { prefix: '/trends', deps: o.deps, publicBaseUrl: o.publicBaseUrl });
  await app.register(watchRoutes, { prefix: '/trends', deps: o.deps });
  await app.register(trendingRoutes, { prefix: '/trends', ...o.trending });
  return app;
}
