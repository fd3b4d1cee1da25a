import { parkedOutbox } from '@trendcast/outbox';
import {
  buildServiceApp,
  type AccessTokenOptions,
  type ReadinessCheck,
  type ServiceApp,
  type ServiceLogger,
  type ServiceMetrics,
} from '@trendcast/service-kit';
import type { ThinkerConfig } from './config.js';
import { draftRoutes } from './routes/draft-routes.js';
import { thinkerErrorStatuses } from './routes/error-statuses.js';
import { generationRoutes } from './routes/generation-routes.js';
import { modelRoutes } from './routes/model-routes.js';
import type { ThinkerDeps } from './use-cases/deps.js';

export const serviceName = 'thinker';

export interface ThinkerAppOptions {
  config: Pick<ThinkerConfig, 'PUBLIC_BASE_URL' | 'HTTP_BODY_LIMIT_BYTES' | 'TRUST_PROXY'>;
  deps: ThinkerDeps;
  logger: ServiceLogger;
  metrics: ServiceMetrics;
  accessTokens: AccessTokenOptions;
  readiness: Record<string, ReadinessCheck>;
}

/** The HTTP API under /thinker (the gateway maps /api/thinker/* here). Never listens. */
export async function buildThinkerApp(o: ThinkerAppOptions): Promise<ServiceApp> {
  const app = await buildServiceApp({
    service: serviceName,
    logger: o.logger,
    metrics: o.metrics,
    accessTokens: o.accessTokens,
    domainErrors: thinkerErrorStatuses,
    readiness: o.readiness,
    bodyLimit: o.config.HTTP_BODY_LIMIT_BYTES,
    trustProxy: o.config.TRUST_PROXY,
    openapi: { title: 'Trendcast thinker API', version: '1' },
    // Admin-only, outside /thinker: the operators' console lists and replays parked events.
    outbox: parkedOutbox(o.deps.db),
  });
  await app.register(generationRoutes, { prefix: '/thinker', deps: o.deps, publicBaseUrl: o.config.PUBLIC_BASE_URL });
  await app.register(draftRoutes, { prefix: '/thinker', deps: o.deps });
  await app.register(modelRoutes, { prefix: '/thinker', deps: o.deps });
  return app;
}
