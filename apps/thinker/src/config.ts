import { authConfigShape, databaseConfigShape, httpConfigShape, inboxConfigShape, messagingConfigShape, redisConfigShape, serviceConfigShape } from '@trendcast/service-kit';
import { booleanVar, httpUrlVar, intVar, loadConfig, type Env } from '@trendcast/service-kit';
import { z } from 'zod';
import { generationConfigShape } from './generation-config.js';

const seconds = 1_000;
const minutes = 60 * seconds;

export const thinkerConfigSchema = z.object({
  ...serviceConfigShape,
  // Behind the local gateway by default: X-Forwarded-For is believed from 127.0.0.1 alone (never "true").
  ...httpConfigShape(3003, { trustProxy: '127.0.0.1' }),
  ...databaseConfigShape('thinker'),
  ...messagingConfigShape,
  ...inboxConfigShape,
  ...redisConfigShape,
  ...authConfigShape,
  /** OLLAMA_HOST (empty: offline), OLLAMA_MODEL, timeouts, retries, OLLAMA_FAILURE_POLICY… (see generation-config.ts). */
  ...generationConfigShape,
  /** Where clients reach the API (through the gateway): statusUrl links point there. */
  PUBLIC_BASE_URL: httpUrlVar('http://localhost:8080'),

  /** What this process runs: the HTTP API with the event consumers, the generation worker with its reconciler, or both. */
  THINKER_RUN_API: booleanVar(true),
  THINKER_RUN_WORKER: booleanVar(true),
  /** BullMQ key prefix ('bull', where the operators' console looks for queues). */
  THINKER_REDIS_PREFIX: z.string().trim().min(1).regex(/^[\w.-]+$/).default('bull'),

  /** Which scorer rates drafts and POST /thinker/sentiment: the offline model, or the LLM (needs OLLAMA_HOST; the offline model stands behind it). */
  SENTIMENT_SCORER: z.enum(['offline', 'ollama'], { error: 'must be offline or ollama' }).default('offline'),
  /** A draft scored negative at or below −this needs `override: true` to be approved (0–1; 0: every negative draft, 1: only score −1). */
  APPROVAL_NEGATIVE_THRESHOLD: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/u, 'must be a number from 0 to 1')
    .transform(Number)
    .pipe(z.number().min(0).max(1))
    .default(0.5),

  /** Tries of one generation job whose run failed for a reason other than the model (database down, shutdown). */
  GENERATE_JOB_ATTEMPTS: intVar(5, { min: 1, max: 50 }),
  GENERATE_RETRY_BASE_DELAY_MS: intVar(5 * seconds, { min: 1 }),
  GENERATE_RETRY_MAX_DELAY_MS: intVar(5 * minutes, { min: 1 }),
  /** Generations written at once by one worker process. */
  WORKER_CONCURRENCY: intVar(2, { min: 1, max: 50 }),
  /** A job whose worker stops renewing its lock (killed, frozen) is taken back after this long. */
  WORKER_LOCK_DURATION_MS: intVar(1 * minutes, { min: 500 }),
  WORKER_STALLED_INTERVAL_MS: intVar(30 * seconds, { min: 100 }),
  WORKER_MAX_STALLED_COUNT: intVar(2, { min: 0 }),

  /** Generations one user may have queued or running at once through the API. */
  USER_MAX_GENERATIONS_IN_FLIGHT: intVar(5, { min: 1 }),

  RECONCILE_INTERVAL_MS: intVar(30 * seconds, { min: 100 }),
  /** Queued or running generations untouched this long are checked against Redis. */
  RECONCILE_GRACE_MS: intVar(2 * minutes, { min: 0 }),
});
export type ThinkerConfig = z.output<typeof thinkerConfigSchema>;

export function loadThinkerConfig(env: Env = process.env): ThinkerConfig {
  return loadConfig(thinkerConfigSchema, env);
}
