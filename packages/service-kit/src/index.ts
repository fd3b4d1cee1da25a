export {
  loadConfig,
  ConfigError,
  serviceConfigShape,
  httpConfigShape,
  databaseConfigShape,
  messagingConfigShape,
  inboxConfigShape,
  redisConfigShape,
  authConfigShape,
  commonConfigShape,
  intVar,
  portVar,
  booleanVar,
  urlVar,
  hostVar,
  logLevelVar,
  nodeEnvVar,
  databaseUrlVar,
  redisUrlVar,
  rabbitmqUrlVar,
  httpUrlVar,
  namePartVar,
  originListVar,
  logLevels,
  nodeEnvs,
  type Env,
  type ConfigProblem,
  type LogLevel,
} from './config.js';
export type { Logger, LogFn } from '@trendcast/core';
export { createLogger, redactUrl, type ServiceLogger, type LoggerOptions } from './logger.js';
export { createMetrics, type ServiceMetrics } from './metrics.js';
export { createTelemetry, type Telemetry } from './telemetry.js';
export type { MessagingMetrics, ConsumeOutcome } from '@trendcast/messaging';
export {
  HttpError,
  isHttpError,
  badRequest,
  unauthenticated,
  forbidden,
  notFound,
  conflict,
  tooManyRequests,
  serviceUnavailable,
  type ErrorBody,
} from './errors.js';
export { DomainError, domainErrorFactory, type DomainErrorOptions, type DomainErrorStatuses } from './domain-error.js';
export { toErrorResponse, type ErrorResponse, type ValidationDetail } from './error-handler.js';
export {
  requestIdHeader,
  correlationIdHeader,
  sanitizeId,
  eventLogger,
} from './correlation.js';
export { checkThat, runReadinessChecks, type ReadinessCheck, type ReadinessReport } from './health.js';
export { acceptedAlgorithms, accessTokenClaimsSchema, roles, type AuthUser, type Role } from './auth/access-token-claims.js';
export { jwksKeys, localKeys, type KeySource, type JwksKeysOptions, type PublicJwk, type TokenHeader } from './auth/key-sources.js';
export { accessTokensFrom, requireRole, bearerTokenOf, type AccessTokenOptions } from './auth/authenticate.js';
export { buildServiceApp, type ServiceApp, type ServiceAppOptions } from './app.js';
export { noContent, type OpenApiOptions } from './openapi.js';
export { parkedOutboxPath, type ParkedOutbox, type ParkedOutboxRow } from './parked-outbox.js';
export { listen } from './listen.js';
export { runService, stopInOrder, type RunServiceOptions, type RunningService, type Stop } from './shutdown.js';
export { defineService, serve, type Service, type ServiceParts } from './service.js';
export { shutdownBudget, shutdownShares, stopWithin, type ShutdownBudget } from './shutdown-budget.js';
export { createEventBus, queueMigrationFlag, type EventBus, type EventBusConfig, type EventBusOptions, type BusConsumerOptions, type OutboxParts } from './event-bus.js';
export { runQueueMigration } from './queue-migration-step.js';
export { createRedis, openRedis, closeRedis, type CreateRedisOptions, type RedisPurpose } from './redis.js';
export { safeText, withSafeText, unsafeTextReason, type SafeTextOptions } from './text.js';
export { trustProxyVar } from './trust-proxy.js';
export type { ZodTypeProvider, FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
export { encodePageCursor, pageOf, pagePositionFrom, pageQueryShape, type Page, type PagePosition } from './page-cursor.js';
