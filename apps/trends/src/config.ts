import { authConfigShape, databaseConfigShape, httpConfigShape, inboxConfigShape, messagingConfigShape, redisConfigShape, serviceConfigShape } from '@trendcast/service-kit';
import { booleanVar, httpUrlVar, intVar, loadConfig, type Env } from '@trendcast/service-kit';
import { z } from 'zod';

const seconds = 1_000;
const minutes = 60 * seconds;

export const trendsConfigSchema = z.object({
  ...serviceConfigShape,
  // Behind the local gateway by default: X-Forwarded-For is believed from 127.0.0.1 alone (never "true").
  ...httpConfigShape(3002, { trustProxy: '127.0.0.1' }),
  ...databaseConfigShape('trends'),
  ...messagingConfigShape,
  ...inboxConfigShape,
  ...redisConfigShape,
  ...authConfigShape,
  /** Where clients reach the API (through the gateway): statusUrl links point there. */
  PUBLIC_BASE_URL: httpUrlVar('http://localhost:8080'),

  /** What this process runs: the HTTP API (with the users.user.deleted consumer), the queue worker (with the reconciler), or both. */
  TRENDS_RUN_API: booleanVar(true),
  TRENDS_RUN_WORKER: booleanVar(true),
  /** BullMQ key prefix; the request gate and the trending cache live under it too. */
  TRENDS_REDIS_PREFIX: z.string().trim().min(1).regex(/^[\w.-]+$/).default('bull'),

  /** https://trends.google.com, or http://host:port of a local stand-in speaking Google's protocol. */
  GOOGLE_TRENDS_ORIGIN: z
    .url()
    .default('https://trends.google.com')
    .refine((url) => url.replace(/\/$/, '') === 'https://trends.google.com' || url.startsWith('http://'), {
      error: 'must be https://trends.google.com or an http:// origin of a local stand-in',
    }),
  GOOGLE_TRENDS_HL: z.string().trim().min(2).max(10).default('en-US'),
  /** Google calls in flight at once across every worker process. */
  GOOGLE_MAX_CONCURRENT: intVar(1, { min: 1, max: 20 }),
  /** Least time between two Google calls, across every worker process. */
  GOOGLE_MIN_INTERVAL_MS: intVar(1 * seconds, { min: 0 }),
  GOOGLE_REQUEST_TIMEOUT_MS: intVar(30 * seconds, { min: 100 }),
  /** How long everyone pauses after a 429 that names no Retry-After. */
  GOOGLE_RATE_LIMIT_COOLDOWN_MS: intVar(1 * minutes, { min: 0 }),

  SEARCH_ATTEMPTS: intVar(5, { min: 1, max: 50 }),
  SEARCH_RETRY_BASE_DELAY_MS: intVar(15 * seconds, { min: 1 }),
  SEARCH_RETRY_MAX_DELAY_MS: intVar(10 * minutes, { min: 1 }),
  /** Attempts for keywords Google has no data for (an empty answer may be a soft block, so one retry). */
  SEARCH_NO_DATA_ATTEMPTS: intVar(2, { min: 1, max: 50 }),
  /** Identical searches within this window are answered from the stored result; 0 turns the cache off. */
  SEARCH_CACHE_TTL_SECONDS: intVar(3600, { min: 0 }),

  WORKER_CONCURRENCY: intVar(1, { min: 1, max: 100 }),
  WORKER_LOCK_DURATION_MS: intVar(2 * minutes, { min: 500 }),
  WORKER_STALLED_INTERVAL_MS: intVar(30 * seconds, { min: 100 }),
  WORKER_MAX_STALLED_COUNT: intVar(2, { min: 0 }),

  /** What one user may queue: the Google gate is shared, so one person must not starve everyone else. */
  USER_MAX_ACTIVE_WATCHES: intVar(20, { min: 1 }),
  USER_MAX_SEARCHES_IN_FLIGHT: intVar(5, { min: 1 }),
  USER_MAX_SEARCHES_PER_MINUTE: intVar(10, { min: 1 }),

  /** Watches may not run more often than this. */
  WATCH_MIN_INTERVAL_SECONDS: intVar(15 * 60, { min: 1 }),
  RECONCILE_INTERVAL_MS: intVar(30 * seconds, { min: 100 }),
  /** Pending searches untouched this long are checked against Redis. */
  RECONCILE_GRACE_MS: intVar(1 * minutes, { min: 0 }),

  TRENDING_CACHE_SECONDS: intVar(300, { min: 0 }),
  /** Longest a /trends/trending request waits for its turn at the Google gate before answering 503. */
  TRENDING_MAX_WAIT_MS: intVar(10 * seconds, { min: 0 }),
});
export type TrendsConfig = z.output<typeof trendsConfigSchema>;

export function loadTrendsConfig(env: Env = process.env): TrendsConfig {
  return loadConfig(trendsConfigSchema, env);
}
