import { httpConfigShape, messagingConfigShape, redisConfigShape, serviceConfigShape } from '@trendcast/service-kit';
import { httpUrlVar, intVar, loadConfig, namePartVar, type Env } from '@trendcast/service-kit';
import { z } from 'zod';
import { parseMailFrom } from './domain/addresses.js';
import { parseSmtpUrl } from './integrations/smtp/smtp-url.js';

const day = 24 * 60 * 60;

/** The local mail catcher (maildev) that the development stack runs: SMTP 1025, web UI 1080. */
export const developmentSmtpUrl = 'smtp://127.0.0.1:1025';

const smtpUrlVar = z.string().trim().superRefine((value, ctx) => {
  try {
    parseSmtpUrl(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});

const mailFromVar = z
  .string()
  .default('Trendcast <no-reply@trendcast.local>')
  .superRefine((value, ctx) => {
    try {
      parseMailFrom(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an address, optionally with a name: "Trendcast <no-reply@example.com>"' });
    }
  });

export const notifierConfigSchema = z
  .object({
    ...serviceConfigShape,
    ...httpConfigShape(3005),
    ...messagingConfigShape,
    ...redisConfigShape,
    /** Required in production; development falls back to the local mail catcher. */
    SMTP_URL: smtpUrlVar.optional(),
    MAIL_FROM: mailFromVar,
    PUBLIC_BASE_URL: httpUrlVar('http://localhost:8080'),
    PRODUCT_NAME: z.string().trim().min(1).max(50).default('Trendcast'),
    /** Name this service consumes events under: its queues are `<name>.<producer>-events`. */
    EVENT_CONSUMER_NAME: namePartVar().default('notifier'),
    EVENT_PREFETCH: intVar(20, { min: 1, max: 1000 }),
    /** BullMQ key prefix; the monitor's Bull Board reads queues under the same prefix. */
    BULLMQ_PREFIX: namePartVar().default('bull'),
    /** Prefix of the recipient projection's keys. */
    REDIS_KEY_PREFIX: z.string().min(1).max(100).default('notifier:'),
    EMAIL_CONCURRENCY: intVar(10, { min: 1, max: 500 }),
    /** Tries per mail (SMTP trouble, or a recipient the projection does not know yet) before the job fails for good. */
    EMAIL_ATTEMPTS: intVar(8, { min: 1, max: 50 }),
    /** First retry delay; each next one doubles (10 s … 10.7 min, ~21 min in all with 8 attempts). */
    EMAIL_BACKOFF_MS: intVar(10_000, { min: 1 }),
    /**
     * How long a sent mail's job is kept: while it exists, the same event cannot mail again.
     * Events older than this are not mailed at all, so dedupe never has a gap.
     */
    EMAIL_KEEP_COMPLETED_SECONDS: intVar(7 * day, { min: 60 }),
    /** How long a mail that failed for good stays visible (and retryable) for operators. */
    EMAIL_KEEP_FAILED_SECONDS: intVar(30 * day, { min: 60 }),
  })
  .transform((config, ctx) => {
    const smtpUrl = config.SMTP_URL ?? (config.NODE_ENV === 'production' ? undefined : developmentSmtpUrl);
    if (smtpUrl === undefined) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production' });
      return z.NEVER;
    }
    return { ...config, SMTP_URL: smtpUrl };
  });

export type NotifierConfig = z.output<typeof notifierConfigSchema>;

export function loadNotifierConfig(env: Env = process.env): NotifierConfig {
  return loadConfig(notifierConfigSchema, env);
}
