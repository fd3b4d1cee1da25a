export {
  loadConfig,
  ConfigError,
  commonConfigShape,
  authConfigShape,
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
  logLevels,
  nodeEnvs,
  type Env,
  type ConfigProblem,
  type LogLevel,
} from './config.js';
export { createLogger, redactUrl, type Logger, type LoggerOptions } from './logger.js';
export { createMetrics, type ServiceMetrics } from './metrics.js';
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
export { toErrorResponse, type ErrorResponse, type ValidationDetail } from './error-handler.js';
export {
  requestIdHeader,
  correlationIdHeader,
  sanitizeId,
  eventLogger,
} from './correlation.js';
export { checkThat, runReadinessChecks, type ReadinessCheck, type ReadinessReport } from './health.js';
export {
  createTokenVerifier,
  acceptedAlgorithms,
  roles,
  type AuthUser,
  type Role,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './auth/token-verifier.js';
export { requireRole, bearerTokenOf } from './auth/authenticate.js';
export { buildServiceApp, type ServiceApp, type ServiceAppOptions } from './app.js';
export type { OpenApiOptions } from './openapi.js';
export { listen } from './listen.js';
export { safeText, withSafeText, unsafeTextReason, type SafeTextOptions } from './text.js';
export { trustProxyVar } from './trust-proxy.js';
export { runService, type RunServiceOptions, type Stop } from './shutdown.js';
export type { ZodTypeProvider, FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
