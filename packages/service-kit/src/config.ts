import { z } from 'zod';
import { trustProxyVar } from './trust-proxy.js';

export type Env = Record<string, string | undefined>;

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown by loadConfig with every bad or missing variable, so one start-up run shows them all. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.variable}: ${p.message}`);
    super(`Invalid configuration (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses environment variables with a zod schema (usually `z.object({...commonConfigShape, ...})`).
 * An empty variable counts as unset, so `PORT=` in a .env file falls back to the default instead of 0.
 * Throws ConfigError naming each bad variable; values are never echoed (they may be secrets).
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  const present: Env = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') present[name] = value;
  }
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => describeIssue(issue, present)));
}

function describeIssue(issue: z.core.$ZodIssue, env: Env): ConfigProblem {
  const [first, ...rest] = issue.path;
  const variable = first === undefined ? '(configuration)' : String(first);
  const where = rest.length > 0 ? ` (at ${rest.join('.')})` : '';
  if (first !== undefined && rest.length === 0 && env[variable] === undefined) {
    return { variable, message: 'is required but not set' };
  }
  return { variable, message: `${issue.message}${where}` };
}

// ---- helpers for common variable shapes -------------------------------------------------------

/** An integer variable; rejects "3.5", "abc" and values out of range with a readable reason. */
export function intVar(defaultValue: number, range: { min?: number; max?: number } = {}) {
  let target = z.number().int();
  if (range.min !== undefined) target = target.min(range.min, `must be at least ${range.min}`);
  if (range.max !== undefined) target = target.max(range.max, `must be at most ${range.max}`);
  return z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(target)
    .default(defaultValue);
}

export const portVar = (defaultPort: number) => intVar(defaultPort, { min: 0, max: 65535 });

/** true/false, 1/0, yes/no, on/off (any case). Never z.coerce.boolean, which reads "false" as true. */
export const booleanVar = (defaultValue: boolean) =>
  z.stringbool({ error: 'must be one of true/false, 1/0, yes/no, on/off' }).default(defaultValue);

/** A URL whose scheme must match `protocols` (without the colon), e.g. ['http', 'https']. */
export function urlVar(defaultValue: string | undefined, protocols: string[]) {
  const schema = z.url({
    protocol: new RegExp(`^(${protocols.join('|')})$`),
    error: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
  });
  return defaultValue === undefined ? schema : schema.default(defaultValue);
}

export const hostVar = (defaultHost = '127.0.0.1') => z.string().trim().min(1).default(defaultHost);

export const logLevelVar = (defaultLevel: LogLevel = 'info') =>
  z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default(defaultLevel);

export const nodeEnvVar = () =>
  z.enum(nodeEnvs, { error: `must be one of ${nodeEnvs.join(', ')}` }).default('development');

/** DATABASE_URL defaulting to the local PostgreSQL database named after the service. */
export const databaseUrlVar = (database: string) =>
  urlVar(`postgres://postgres@127.0.0.1:5432/${database}`, ['postgres', 'postgresql']);

export const redisUrlVar = (defaultUrl = 'redis://127.0.0.1:6379') => urlVar(defaultUrl, ['redis', 'rediss']);

export const rabbitmqUrlVar = (defaultUrl = 'amqp://guest:guest@127.0.0.1:5672') => urlVar(defaultUrl, ['amqp', 'amqps']);

export const httpUrlVar = (defaultUrl?: string) => urlVar(defaultUrl, ['http', 'https']);

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];
export const nodeEnvs = ['development', 'test', 'production'] as const;

/**
 * A comma-separated list of web origins (`https://app.example.com, http://127.0.0.1:8080`), read as
 * the origins alone: an entry with a path, a query or another scheme than http(s) is refused.
 */
export const originListVar = () =>
  z
    .string()
    .trim()
    .default('')
    .transform((value, ctx) => {
      const origins: string[] = [];
      for (const entry of value.split(',').map((part) => part.trim()).filter(Boolean)) {
        const parsed = URL.canParse(entry) ? new URL(entry) : undefined;
        if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== entry.replace(/\/$/, '')) {
          ctx.addIssue({ code: 'custom', message: `"${entry}" is not an origin like https://app.example.com` });
          return z.NEVER;
        }
        origins.push(parsed.origin);
      }
      return origins;
    });

/** A name part of exchanges, queues and key prefixes: letters, digits, "_", "." or "-". */
export const namePartVar = () => z.string().trim().regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'must be letters, digits, "_", "." or "-"');

// ---- the shapes a service's config is built from ------------------------------------------------
// A service's config.ts spreads the shapes it needs: z.object({ ...serviceConfigShape,
// ...httpConfigShape(3002), ...databaseConfigShape('trends'), ...messagingConfigShape, ...redisConfigShape, <its own> }).

/** Every service: how it runs and how long it may take to stop. */
export const serviceConfigShape = {
  NODE_ENV: nodeEnvVar(),
  LOG_LEVEL: logLevelVar(),
  /** The whole graceful shutdown must fit in this (under the usual 30 s orchestrator grace period). */
  SHUTDOWN_TIMEOUT_MS: intVar(25_000, { min: 1 }),
};

/** A service with an HTTP side (every one: health, readiness and metrics at least). */
export function httpConfigShape(port: number, o: { trustProxy?: string | false } = {}) {
  return {
    HOST: hostVar(),
    PORT: portVar(port),
    /** Largest accepted request body; 64 KiB suits JSON APIs and bounds memory per request. */
    HTTP_BODY_LIMIT_BYTES: intVar(64 * 1024, { min: 1 }),
    /**
     * The gateway's addresses or subnets, so request.ip (throttling, logs) is the client's behind it;
     * `true` (believe anyone) is refused. `trustProxy` sets the default (false: nobody).
     */
    TRUST_PROXY: trustProxyVar(o.trustProxy),
  };
}

/** A service with a PostgreSQL database of its own. */
export function databaseConfigShape(database: string) {
  return {
    DATABASE_URL: databaseUrlVar(database),
    /** Connections in the service's pool. */
    DATABASE_POOL_MAX: intVar(10, { min: 1, max: 100 }),
  };
}

/** A service that publishes or consumes events on RabbitMQ. */
export const messagingConfigShape = {
  RABBITMQ_URL: rabbitmqUrlVar(),
  /**
   * Prefix of every exchange and queue the service declares (`<namespace>.users.events`), so an
   * isolated copy (a test run, a bench) can share one broker; unset in production.
   */
  RABBITMQ_NAMESPACE: namePartVar().optional(),
  /**
   * A handler still running after this long has failed: its signal aborts and its event takes the
   * retry path. Below the broker's own consumer timeout (30 min), which would close the channel.
   */
  EVENT_HANDLER_TIMEOUT_MS: intVar(60_000, { min: 100, max: 25 * 60_000 }),
};

/** A service that records handled events in an inbox (handleOnce): how long it remembers them. */
export const inboxConfigShape = {
  /**
   * Handled event ids older than this are forgotten (InboxPruner). Keep it longer than a dead letter
   * may wait for a replay: a replayed event whose id was forgotten is handled again.
   */
  INBOX_RETENTION_DAYS: intVar(30, { min: 1, max: 3650 }),
};

/** A service that uses Redis (BullMQ queues, caches, projections). */
export const redisConfigShape = {
  REDIS_URL: redisUrlVar(),
};

/**
 * The variables of the first services, kept for small tools and tests: every service's own
 * config is built from the shapes above.
 */
export const commonConfigShape = {
  ...serviceConfigShape,
  ...httpConfigShape(3000),
  RABBITMQ_URL: messagingConfigShape.RABBITMQ_URL,
};

/** Variables for verifying access tokens issued by the users service. */
export const authConfigShape = {
  JWT_ISSUER: z.string().trim().min(1).default('trendcast-users'),
  JWT_AUDIENCE: z.string().trim().min(1).default('trendcast'),
  JWKS_URL: httpUrlVar('http://127.0.0.1:3001/users/.well-known/jwks.json'),
};
