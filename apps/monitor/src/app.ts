import type { RabbitConnection } from '@trendcast/messaging';
import { buildServiceApp, checkThat, type AccessTokenOptions, type ServiceApp, type ServiceLogger, type ServiceMetrics } from '@trendcast/service-kit';
import type { Redis } from 'ioredis';
import type { MonitorConfig } from './config.js';
import { consolePlugin } from './routes/console.js';
import { monitorErrorStatuses } from './routes/error-statuses.js';
import type { QueueBoardPlugin } from './routes/queue-board.js';
import type { MonitorDeps } from './use-cases/deps.js';
import { consolePath } from './views/paths.js';

export const serviceName = 'monitor';

export interface MonitorAppOptions {
  config: Pick<
    MonitorConfig,
    'NODE_ENV' | 'HTTP_BODY_LIMIT_BYTES' | 'TRUST_PROXY' | 'PUBLIC_BASE_URL' | 'WEB_ORIGINS' | 'MONITOR_SESSION_SECRET' | 'MONITOR_SESSION_TTL_SECONDS' | 'MONITOR_SESSION_COOKIE_SECURE'
  >;
  deps: MonitorDeps;
  board: QueueBoardPlugin;
  logger: ServiceLogger;
  metrics: ServiceMetrics;
  accessTokens: AccessTokenOptions;
  redis: Redis;
  rabbit: RabbitConnection;
  /** The monitor's own page assets (src/public, or dist/public when built). */
  assetsDir: string;
}

/** The operators' console at /admin/queues, plus the kit's /healthz, /readyz (Redis, RabbitMQ) and /metrics. */
export async function buildMonitorApp(o: MonitorAppOptions): Promise<ServiceApp> {
  const app = await buildServiceApp({
    service: serviceName,
    logger: o.logger,
    metrics: o.metrics,
    accessTokens: o.accessTokens,
    domainErrors: monitorErrorStatuses,
    bodyLimit: o.config.HTTP_BODY_LIMIT_BYTES,
    trustProxy: o.config.TRUST_PROXY,
    readiness: {
      redis: () => o.redis.ping(),
      rabbitmq: checkThat(() => o.rabbit.isConnected(), 'not connected to RabbitMQ'),
    },
  });
  await app.register(consolePlugin, {
    prefix: consolePath,
    deps: o.deps,
    board: o.board,
    assetsDir: o.assetsDir,
    access: { allowedOrigins: new Set([new URL(o.config.PUBLIC_BASE_URL).origin, ...o.config.WEB_ORIGINS]) },
    cookie: {
      secret: o.config.MONITOR_SESSION_SECRET,
      secure: o.config.MONITOR_SESSION_COOKIE_SECURE ?? o.config.NODE_ENV !== 'development',
      maxAgeSeconds: o.config.MONITOR_SESSION_TTL_SECONDS,
    },
  });
  return app;
}
