import { intVar } from '@trendcast/service-kit';
import { z } from 'zod';
import type { OllamaSettings, ThinkSetting } from './integrations/ollama/ollama-settings.js';
import type { GenerationPolicy } from './use-cases/generation-policy.js';

const seconds = 1_000;

/** A Go duration as Ollama reads `keep_alive` ("5m", "1h30m", "-1" forever, "0" unload at once), or whole seconds. */
const keepAliveVar = (defaultValue: string) =>
  z
    .string()
    .trim()
    .regex(/^(-?\d+|[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+)$/u, 'must be whole seconds or a duration such as 5m or 1h30m')
    .default(defaultValue)
    .transform((value): string | number => (/^-?\d+$/u.test(value) ? Number(value) : value));

const numberVar = (defaultValue: number, range: { min: number; max: number }) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/u, 'must be a number')
    .transform(Number)
    .pipe(z.number().min(range.min, `must be at least ${range.min}`).max(range.max, `must be at most ${range.max}`))
    .default(defaultValue);

/**
 * The environment variables for writing drafts, to spread into the service's config schema:
 * `z.object({ ...commonConfigShape, ...generationConfigShape, ... })`. An empty OLLAMA_HOST means
 * no language model: drafts are written offline.
 */
export const generationConfigShape = {
  OLLAMA_HOST: z
    .string()
    .trim()
    .default('')
    .refine((value) => value === '' || /^https?:\/\/[^\s/]+(\/.*)?$/u.test(value), 'must be empty (offline) or an http:// or https:// URL'),
  OLLAMA_MODEL: z.string().trim().min(1).max(200).default('llama3.2:3b'),
  OLLAMA_TIMEOUT_MS: intVar(120 * seconds, { min: 100 }),
  OLLAMA_KEEP_ALIVE: keepAliveVar('5m'),
  OLLAMA_TEMPERATURE: numberVar(0.7, { min: 0, max: 2 }),
  /** Empty: a fresh seed each time. */
  OLLAMA_SEED: z
    .string()
    .trim()
    .regex(/^-?\d+$/u, 'must be a whole number')
    .transform(Number)
    .optional(),
  OLLAMA_NUM_PREDICT: intVar(2048, { min: 16, max: 131_072 }),
  OLLAMA_THINK: z
    .enum(['false', 'true', 'low', 'medium', 'high'], { error: 'must be one of false, true, low, medium, high' })
    .default('false')
    .transform((value): ThinkSetting => (value === 'true' ? true : value === 'false' ? false : value)),
  OLLAMA_MAX_ATTEMPTS: intVar(3, { min: 1, max: 10 }),
  OLLAMA_RETRY_BASE_MS: intVar(1 * seconds, { min: 0 }),
  OLLAMA_RETRY_MAX_MS: intVar(30 * seconds, { min: 0 }),
  OLLAMA_FAILURE_POLICY: z.enum(['fallback', 'fail'], { error: 'must be fallback or fail' }).default('fallback'),
  GENERATION_MAX_ATTEMPTS: intVar(3, { min: 1, max: 10 }),
};

/** The same variables on their own (tests, tools). */
export const generationConfigSchema = z.object(generationConfigShape);
export type GenerationConfig = z.output<typeof generationConfigSchema>;

/** The settings the Ollama integration and the generate-drafts use case take; `ollama` is absent when offline. */
export function generationSettings(config: GenerationConfig): { ollama: OllamaSettings | undefined; policy: GenerationPolicy } {
  return {
    ollama: config.OLLAMA_HOST
      ? {
          host: config.OLLAMA_HOST,
          model: config.OLLAMA_MODEL,
          timeoutMs: config.OLLAMA_TIMEOUT_MS,
          keepAlive: config.OLLAMA_KEEP_ALIVE,
          temperature: config.OLLAMA_TEMPERATURE,
          seed: config.OLLAMA_SEED,
          numPredict: config.OLLAMA_NUM_PREDICT,
          think: config.OLLAMA_THINK,
        }
      : undefined,
    policy: {
      maxRounds: config.GENERATION_MAX_ATTEMPTS,
      modelAttempts: config.OLLAMA_MAX_ATTEMPTS,
      retryBaseMs: config.OLLAMA_RETRY_BASE_MS,
      retryMaxMs: config.OLLAMA_RETRY_MAX_MS,
      onModelFailure: config.OLLAMA_FAILURE_POLICY,
    },
  };
}
