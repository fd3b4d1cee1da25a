import { z } from 'zod';
import { authConfigShape, databaseConfigShape, httpConfigShape, messagingConfigShape, serviceConfigShape } from '@trendcast/service-kit';
import { httpUrlVar, intVar, loadConfig, safeText, type Env } from '@trendcast/service-kit';
import { browserSessionConfigShape } from './routes/browser-session-settings.js';
import { emailSchema } from './domain/email.js';

const minute = 60;
const hour = 60 * minute;
const day = 24 * hour;

const optionalText = z.string().trim().min(1).optional();

export const usersConfigSchema = z
  .object({
    ...serviceConfigShape,
    ...httpConfigShape(3001),
    ...databaseConfigShape('users'),
    ...messagingConfigShape,
    ...authConfigShape,
    /** Where the links in emails point (the web app, through the gateway). */
    PUBLIC_BASE_URL: httpUrlVar('http://localhost:8080'),
    ...browserSessionConfigShape,

    /** JSON array of Ed25519 JWKs with `kid` (with `d` to sign). */
    JWT_SIGNING_KEYS: optionalText,
    /** Directory of `<kid>.pem` files (PKCS#8 private or SPKI public). */
    JWT_KEYS_DIR: optionalText,
    /** The key that signs; required when several keys have a private half. */
    JWT_ACTIVE_KID: optionalText,
    /** Outside production, where a key is generated and kept when none is configured. */
    JWT_DEV_KEYS_DIR: z.string().trim().min(1).default('.local/keys'),
    ACCESS_TOKEN_TTL_SECONDS: intVar(15 * minute, { min: 30, max: hour }),
    REFRESH_TOKEN_TTL_SECONDS: intVar(30 * day, { min: minute }),
    SESSION_MAX_AGE_SECONDS: intVar(90 * day, { min: minute }),

    VERIFY_EMAIL_TTL_SECONDS: intVar(day, { min: minute }),
    PASSWORD_RESET_TTL_SECONDS: intVar(hour, { min: minute, max: day }),
    EMAIL_COOLDOWN_SECONDS: intVar(minute, { min: 0 }),

    LOGIN_MAX_FAILURES_PER_ACCOUNT: intVar(5, { min: 1 }),
    LOGIN_MAX_FAILURES_PER_IP: intVar(30, { min: 1 }),
    LOGIN_FAILURE_WINDOW_SECONDS: intVar(15 * minute, { min: 1 }),
    REGISTER_MAX_EMAIL_TAKEN_PER_IP: intVar(10, { min: 1 }),

    /** The first admin, created (or promoted) at start; never through the API. */
    ADMIN_EMAIL: emailSchema.optional(),
    ADMIN_PASSWORD: z.string().max(128).optional(),
    ADMIN_DISPLAY_NAME: safeText().trim().min(1).max(100).default('Administrator'),
  })
  .superRefine((config, ctx) => {
    if (Boolean(config.ADMIN_EMAIL) !== Boolean(config.ADMIN_PASSWORD)) {
      const missing = config.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together' });
    }
    if (config.SESSION_MAX_AGE_SECONDS < config.REFRESH_TOKEN_TTL_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_MAX_AGE_SECONDS'],
        message: 'must be at least REFRESH_TOKEN_TTL_SECONDS',
      });
    }
  });

export type UsersConfig = z.output<typeof usersConfigSchema>;

export function loadUsersConfig(env: Env = process.env): UsersConfig {
  return loadConfig(usersConfigSchema, env);
}
