import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
  type RawServerDefault,
} from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { authPlugin, type AccessTokenOptions } from './auth/authenticate.js';
import { correlationIdFor, correlationPlugin, requestIdFor } from './correlation.js';
import type { DomainErrorStatuses } from './domain-error.js';
import { errorHandlerPlugin } from './error-handler.js';
import { gracefulClosePlugin } from './graceful-close.js';
import { healthPlugin, type ReadinessCheck } from './health.js';
import { httpMetricsPlugin } from './http-metrics.js';
import type { ServiceLogger } from './logger.js';
import { noStoreForCredentialsPlugin } from './no-store.js';
import type { ServiceMetrics } from './metrics.js';
import { openApiPlugin, type OpenApiOptions } from './openapi.js';
import { parkedOutboxPlugin, type ParkedOutbox } from './parked-outbox.js';

/** The app every service builds its routes on: route schemas are zod schemas, handlers get typed input. */
export type ServiceApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface ServiceAppOptions {
  /** Service name: the `source` of events this app's requests cause, and a log field. */
  service: string;
  logger: ServiceLogger;
  metrics: ServiceMetrics;
  /** This service's own dependencies, checked by /readyz (e.g. `{ postgres: () => sql\`select 1\` }`). */
  readiness?: Record<string, ReadinessCheck>;
  readinessTimeoutMs?: number;
  /** How access tokens are verified; needed by app.authenticate and requireRole. */
  accessTokens?: AccessTokenOptions;
  /** The HTTP status of each code of the service's domain errors (see DomainError). */
  domainErrors?: DomainErrorStatuses;
  /** Largest accepted request body in bytes (default 64 KiB); answered with 413 beyond it. */
  bodyLimit?: number;
  /** Set when behind the gateway so request.ip is the client's address (fastify's trustProxy). */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** Serve an OpenAPI document built from the route schemas (see OpenApiOptions). */
  openapi?: OpenApiOptions;
  /**
   * This service's parked outbox rows (`parkedOutbox(db)` from @trendcast/outbox): adds the admin-only
   * `GET /internal/outbox/parked` and `POST /internal/outbox/parked/replay` the operators' console calls.
   */
  outbox?: ParkedOutbox;
}

const quietPaths = new Set(['/healthz', '/readyz', '/readyz/public', '/metrics']);

/**
 * Builds the fastify app with ids, logging, errors, health, metrics and auth wired in.
 * Never listens: main.ts calls listen(), tests call app.inject().
 */
export async function buildServiceApp(o: ServiceAppOptions): Promise<ServiceApp> {
  const app = Fastify({
    loggerInstance: o.logger,
    bodyLimit: o.bodyLimit ?? 64 * 1024,
    trustProxy: o.trustProxy ?? false,
    genReqId: requestIdFor,
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      // Probes and scrapes every few seconds would drown the request logs.
      disableRequestLogging: (request) => quietPaths.has(request.url.split('?')[0]!),
    }),
    // The correlation id goes into the request's logger from its first line ("incoming request").
    childLoggerFactory: (logger, bindings, options, raw) =>
      logger.child({ ...bindings, correlationId: correlationIdFor(raw as IncomingMessage, String(bindings.requestId)) }, options),
    // gracefulClosePlugin answers requests that arrive while closing, in the usual error shape.
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Bodies are JSON: fastify's built-in text/plain parser would hand a string to the schema (400)
  // where an unsupported media type (415) is the honest answer.
  app.removeContentTypeParser('text/plain');

  await app.register(errorHandlerPlugin, { domainErrors: o.domainErrors ?? {} });
  await app.register(correlationPlugin, { service: o.service });
  await app.register(gracefulClosePlugin);
  await app.register(noStoreForCredentialsPlugin);
  await app.register(httpMetricsPlugin, { metrics: o.metrics });
  await app.register(healthPlugin, { readiness: o.readiness ?? {}, readinessTimeoutMs: o.readinessTimeoutMs ?? 2_000 });
  await app.register(authPlugin, { accessTokens: o.accessTokens });
  if (o.openapi) await app.register(openApiPlugin, { ...o.openapi, service: o.service });
  if (o.outbox) {
    if (!o.accessTokens) throw new Error('buildServiceApp: outbox admin routes need accessTokens (only admins may call them)');
    await app.register(parkedOutboxPlugin, { outbox: o.outbox });
  }

  return app as unknown as ServiceApp;
}
