import { addToOutbox } from '@trendcast/outbox';
import type { UsersConfig } from './config.js';
import type { UsersDatabase } from './db/client.js';
import { AccessTokenIssuer } from './security/access-tokens.js';
import { AttemptThrottle } from './security/attempt-throttle.js';
import { createPasswordHasher, type PasswordHasher } from './security/password-hasher.js';
import type { SigningKeyRing } from './security/signing-keys.js';
import type { RecordEvents, UseCaseLogger, UsersContext } from './use-cases/context.js';

export interface ContextDeps {
  db: UsersDatabase;
  keys: SigningKeyRing;
  logger: UseCaseLogger;
  hasher?: PasswordHasher;
  recordEvents?: RecordEvents;
}

/** Wires the use cases' collaborators from configuration. */
export function createUsersContext(config: UsersConfig, deps: ContextDeps): UsersContext {
  return {
    db: deps.db,
    logger: deps.logger,
    hasher: deps.hasher ?? createPasswordHasher(),
    accessTokens: new AccessTokenIssuer(deps.keys, {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    }),
    throttle: new AttemptThrottle(deps.db, {
      maxFailuresPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
      maxEmailTakenPerIp: config.REGISTER_MAX_EMAIL_TAKEN_PER_IP,
      windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
    }),
    recordEvents: deps.recordEvents ?? ((tx, events) => addToOutbox(tx, events)),
    settings: {
      publicBaseUrl: config.PUBLIC_BASE_URL,
      verifyEmailTtlSeconds: config.VERIFY_EMAIL_TTL_SECONDS,
      passwordResetTtlSeconds: config.PASSWORD_RESET_TTL_SECONDS,
      refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
      sessionMaxAgeSeconds: config.SESSION_MAX_AGE_SECONDS,
      emailCooldownSeconds: config.EMAIL_COOLDOWN_SECONDS,
    },
  };
}
