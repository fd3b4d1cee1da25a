import {
  authConfigShape,
  booleanVar,
  databaseConfigShape,
  httpConfigShape,
  httpUrlVar,
  inboxConfigShape,
  intVar,
  loadConfig,
  messagingConfigShape,
  redisConfigShape,
  serviceConfigShape,
  type Env,
} from '@trendcast/service-kit';
import { z } from 'zod';
import type { RetrySettings } from './domain/retry-policy.js';
import { parseAllowedRanges } from './integrations/http/address-policy.js';
import type { GuardedHttpOptions } from './integrations/http/guarded-http-client.js';
import { parseCredentialKeyList, parseCredentialKeyring, type CredentialKeyring } from './security/credential-keys.js';

const seconds = 1_000;
const minutes = 60 * seconds;

const optionalBoolean = z.stringbool({ error: 'must be one of true/false, 1/0, yes/no, on/off' }).optional();

/**
 * The variables of channels, outbound HTTP, credentials and publishing retries. The service adds
 * its database, Redis and worker variables beside these.
 */
export const channelConfigShape = {
  /** Where people reach Trendcast; the Mastodon OAuth callback is under it. */
  PUBLIC_BASE_URL: httpUrlVar('http://localhost:8080'),
  MASTODON_APP_NAME: z.string().trim().min(1).max(100).default('Trendcast'),
  /** Shown by Mastodon beside the app name; optional. */
  MASTODON_APP_WEBSITE: httpUrlVar().optional(),
  OAUTH_STATE_TTL_SECONDS: intVar(600, { min: 60, max: 3600 }),
  /** How long an instance's character limit is kept before it is read again. */
  INSTANCE_LIMITS_CACHE_SECONDS: intVar(3600, { min: 0 }),

  /** Outbound calls to instances: http:// and private addresses only when allowed (default: allowed in development only). */
  OUTBOUND_ALLOW_HTTP: optionalBoolean,
  OUTBOUND_ALLOW_PRIVATE_ADDRESSES: optionalBoolean,
  /** Comma-separated CIDR ranges reachable whatever they are (an internal instance you run). */
  OUTBOUND_ALLOWED_RANGES: z
    .string()
    .default('')
    .transform((value, context) => {
      try {
        return parseAllowedRanges(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  OUTBOUND_TIMEOUT_MS: intVar(15 * seconds, { min: 100 }),
  OUTBOUND_CONNECT_TIMEOUT_MS: intVar(5 * seconds, { min: 100 }),
  OUTBOUND_MAX_RESPONSE_BYTES: intVar(1024 * 1024, { min: 1024 }),
  OUTBOUND_MAX_REDIRECTS: intVar(3, { min: 0, max: 10 }),

  /** JSON `[{"id":"k1","key":"<base64 of 32 bytes>"}]`; required in production. */
  CREDENTIALS_KEYS: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined) return undefined;
      try {
        return parseCredentialKeyList(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** The key new values are encrypted with; needed when several keys are listed. */
  CREDENTIALS_ACTIVE_KEY_ID: z.string().trim().optional(),

  PUBLISH_MAX_ATTEMPTS: intVar(6, { min: 1, max: 50 }),
  PUBLISH_RETRY_BASE_DELAY_MS: intVar(10 * seconds, { min: 1 }),
  PUBLISH_RETRY_MAX_DELAY_MS: intVar(5 * minutes, { min: 1 }),
  PUBLISH_MAX_RATE_LIMITED_ATTEMPTS: intVar(10, { min: 1, max: 100 }),
  /** The wait after a 429 that names no reset time. */
  PUBLISH_RATE_LIMIT_FALLBACK_MS: intVar(1 * minutes, { min: 1 }),
};

/** The variables of the publishing worker, its reconciler and this process's parts. */
export const publishingConfigShape = {
  /** What this process runs: the HTTP API (with the event consumer), the publish worker (with the reconciler), or both. */
  TWEETER_RUN_API: booleanVar(true),
  TWEETER_RUN_WORKER: booleanVar(true),
  /** BullMQ key prefix ('bull', as the monitor expects); tests give each run its own. */
  TWEETER_REDIS_PREFIX: z.string().trim().min(1).regex(/^[\w.-]+$/).default('bull'),
  /** Publish jobs one worker process runs at once. */
  PUBLISH_CONCURRENCY: intVar(50, { min: 1, max: 500 }),
  /** Attempts in flight at once for one channel, across every worker. */
  PUBLISH_CHANNEL_CONCURRENCY: intVar(4, { min: 1, max: 100 }),
  /**
   * How long a claimed post belongs to the worker that claimed it; after that (the worker died) it
   * is taken over and sent again with the same idempotency key. Must exceed OUTBOUND_TIMEOUT_MS.
   */
  PUBLISH_LEASE_MS: intVar(1 * minutes, { min: 100 }),
  WORKER_LOCK_DURATION_MS: intVar(30 * seconds, { min: 500 }),
  WORKER_STALLED_INTERVAL_MS: intVar(30 * seconds, { min: 100 }),
  /** How often the reconciler compares PostgreSQL (the truth) with the jobs in Redis. */
  RECONCILE_INTERVAL_MS: intVar(10 * seconds, { min: 100 }),
  /** Posts due within this much are checked for a job (so a lost job is back before its time). */
  RECONCILE_LOOKAHEAD_MS: intVar(1 * minutes, { min: 0 }),
};

export const tweeterConfigSchema = z
  .object({
    ...serviceConfigShape,
    // Behind the local gateway by default: X-Forwarded-For is believed from 127.0.0.1 alone (never "true").
    ...httpConfigShape(3004, { trustProxy: '127.0.0.1' }),
    ...databaseConfigShape('tweeter'),
    ...messagingConfigShape,
    ...inboxConfigShape,
    ...redisConfigShape,
    ...authConfigShape,
    ...channelConfigShape,
    ...publishingConfigShape,
  })
  .transform((config, context) => {
    let keyring: CredentialKeyring;
    try {
      keyring = parseCredentialKeyring({
        ...(config.CREDENTIALS_KEYS ? { keys: config.CREDENTIALS_KEYS } : {}),
        ...(config.CREDENTIALS_ACTIVE_KEY_ID ? { activeKeyId: config.CREDENTIALS_ACTIVE_KEY_ID } : {}),
        production: config.NODE_ENV === 'production',
      });
    } catch (error) {
      context.addIssue({ code: 'custom', path: ['CREDENTIALS_KEYS'], message: (error as Error).message });
      return z.NEVER;
    }
    const development = config.NODE_ENV === 'development';
    const { CREDENTIALS_KEYS: _keys, ...rest } = config;
    return {
      ...rest,
      OUTBOUND_ALLOW_HTTP: config.OUTBOUND_ALLOW_HTTP ?? development,
      OUTBOUND_ALLOW_PRIVATE_ADDRESSES: config.OUTBOUND_ALLOW_PRIVATE_ADDRESSES ?? development,
      credentialKeyring: keyring,
    };
  });

export type TweeterConfig = z.output<typeof tweeterConfigSchema>;

export function loadTweeterConfig(env: Env = process.env): TweeterConfig {
  return loadConfig(tweeterConfigSchema, env);
}

/** The address Mastodon sends the browser back to (through the gateway). */
export function mastodonCallbackUrl(config: Pick<TweeterConfig, 'PUBLIC_BASE_URL'>): string {
  return new URL('/api/tweeter/channels/mastodon/callback', config.PUBLIC_BASE_URL).toString();
}

export function outboundHttpOptions(config: TweeterConfig): GuardedHttpOptions {
  return {
    allowHttp: config.OUTBOUND_ALLOW_HTTP,
    allowPrivateAddresses: config.OUTBOUND_ALLOW_PRIVATE_ADDRESSES,
    allowedRanges: config.OUTBOUND_ALLOWED_RANGES,
    timeoutMs: config.OUTBOUND_TIMEOUT_MS,
    connectTimeoutMs: config.OUTBOUND_CONNECT_TIMEOUT_MS,
    maxResponseBytes: config.OUTBOUND_MAX_RESPONSE_BYTES,
    maxRedirects: config.OUTBOUND_MAX_REDIRECTS,
    userAgent: `Trendcast (+${config.PUBLIC_BASE_URL})`,
  };
}

export function retrySettings(config: TweeterConfig): RetrySettings {
  return {
    maxAttempts: config.PUBLISH_MAX_ATTEMPTS,
    baseDelayMs: config.PUBLISH_RETRY_BASE_DELAY_MS,
    maxDelayMs: config.PUBLISH_RETRY_MAX_DELAY_MS,
    maxRateLimitedAttempts: config.PUBLISH_MAX_RATE_LIMITED_ATTEMPTS,
    rateLimitFallbackMs: config.PUBLISH_RATE_LIMIT_FALLBACK_MS,
    rateLimitJitterMs: 2 * seconds,
    idempotencySafetyMarginMs: 5 * minutes,
  };
}
