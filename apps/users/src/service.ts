import { resolve } from 'node:path';
import { addToOutbox, OutboxRelay } from '@trendcast/outbox';
import {
  createEventBus,
  createTelemetry,
  defineService,
  type EventBus,
  type Service,
  type ServiceApp,
  type ServiceLogger,
  type Stop,
} from '@trendcast/service-kit';
import { buildUsersApp, serviceName } from './app.js';
import type { UsersConfig } from './config.js';
import { createDatabaseClient, type DatabaseClient } from './db/client.js';
import { AccessTokenIssuer } from './security/access-tokens.js';
import { AttemptThrottle } from './security/attempt-throttle.js';
import { createPasswordHasher, type PasswordHasher } from './security/password-hasher.js';
import { loadSigningKeys, type SigningKeyRing } from './security/signing-keys.js';
import { bootstrapAdmin } from './use-cases/bootstrap-admin.js';
import type { RecordEvents, UsersDeps } from './use-cases/deps.js';
import { startEmailLinkWorker, type EmailLinkWorkerOptions } from './workers/email-link-worker.js';
import { startTokenCleanup } from './workers/token-cleanup.js';

/** What a test (or a bench) may put in place of the configured pieces; production passes nothing. */
export interface UsersServiceOverrides {
  logger?: ServiceLogger;
  /** The signing keys; by default loaded as configured (JWT_SIGNING_KEYS, JWT_KEYS_DIR, or a development key). */
  keys?: SigningKeyRing;
  hasher?: PasswordHasher;
  /** Wraps the outbox write, e.g. to fail a transaction on purpose after it. */
  recordEvents?: RecordEvents;
  /** Verified access tokens remembered until they expire (default 10 000); 0 checks the signature on every request. */
  tokenCacheSize?: number;
  /** Clock skew allowed for a token's exp (default the kit's 5 s). */
  tokenClockToleranceSeconds?: number;
  /** How the email-link worker polls, retries and settles (tests shorten the poll). */
  emailLinkWorker?: EmailLinkWorkerOptions;
}

export interface UsersService extends Service {
  app: ServiceApp;
  /** What the use cases run with (tests call use cases such as bootstrapAdmin directly). */
  deps: UsersDeps;
  keys: SigningKeyRing;
  database: DatabaseClient;
  bus: EventBus;
}

/**
 * The users service's composition root, used by main.ts and by the component tests alike:
 * config → signing keys, pool, event bus → use-case dependencies → HTTP app, outbox relay, admin
 * bootstrap, expired-token cleanup, email-link worker → shutdown steps.
 */
export async function createUsersService(config: UsersConfig, overrides: UsersServiceOverrides = {}): Promise<UsersService> {
  const { logger, metrics } = createTelemetry(serviceName, { level: config.LOG_LEVEL, logger: overrides.logger });
  const keys =
    overrides.keys ??
    loadSigningKeys({
      json: config.JWT_SIGNING_KEYS,
      dir: config.JWT_KEYS_DIR,
      activeKid: config.JWT_ACTIVE_KID,
      production: config.NODE_ENV === 'production',
      devKeysDir: resolve(config.JWT_DEV_KEYS_DIR),
      warn: (message) => logger.warn(message),
    });

  const database = createDatabaseClient(config.DATABASE_URL, { max: config.DATABASE_POOL_MAX });
  const bus = createEventBus(config, { service: serviceName, logger, metrics });
  const relay = new OutboxRelay({ db: database.db, sql: database.sql, sink: bus.publisher, logger });

  const deps: UsersDeps = {
    db: database.db,
    logger,
    hasher: overrides.hasher ?? createPasswordHasher(),
    accessTokens: new AccessTokenIssuer(keys, {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    }),
    throttle: new AttemptThrottle(database.db, {
      maxFailuresPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
      maxEmailTakenPerIp: config.REGISTER_MAX_EMAIL_TAKEN_PER_IP,
      windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
    }),
    recordEvents: overrides.recordEvents ?? ((tx, events) => addToOutbox(tx, events)),
    settings: {
      publicBaseUrl: config.PUBLIC_BASE_URL,
      verifyEmailTtlSeconds: config.VERIFY_EMAIL_TTL_SECONDS,
      passwordResetTtlSeconds: config.PASSWORD_RESET_TTL_SECONDS,
      refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
      sessionMaxAgeSeconds: config.SESSION_MAX_AGE_SECONDS,
      emailCooldownSeconds: config.EMAIL_COOLDOWN_SECONDS,
    },
  };

  const app = await buildUsersApp({
    config,
    deps,
    keys,
    logger,
    metrics,
    tokenCacheSize: overrides.tokenCacheSize,
    tokenClockToleranceSeconds: overrides.tokenClockToleranceSeconds,
    readiness: {
      postgres: () => database.sql`select 1`,
      rabbitmq: bus.checkReady,
    },
  });

  let stopTokenCleanup: (() => Promise<void>) | undefined;
  let stopEmailLinkWorker: (() => Promise<void>) | undefined;
  const workers: Stop[] = [
    // Finishes the request in hand (its token and outbox row commit together), then stops listening.
    ['email link worker', async () => stopEmailLinkWorker?.()],
    ['token cleanup', async () => stopTokenCleanup?.()],
  ];
  const stops: Stop[] = [...bus.stops({ relay, workers }), ['postgres', () => database.close({ timeoutMs: bus.budget.database })]];

  const service = defineService({
    app,
    logger,
    config,
    stops,
    start: async () => {
      if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
        const admin = { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, displayName: config.ADMIN_DISPLAY_NAME };
        const outcome = await bootstrapAdmin(deps, { ...admin, origin: { source: serviceName, correlationId: `bootstrap-${Date.now()}` } });
        logger.info({ email: admin.email, outcome }, 'admin account from configuration');
      }
      // A producer only: requests never wait for the broker, events wait in the outbox until it is reachable.
      await bus.start({ relay });
      stopTokenCleanup = startTokenCleanup(database.db, logger);
      // "Send me a link" requests are answered here, off the request path (see request-email-link.ts).
      stopEmailLinkWorker = await startEmailLinkWorker(deps, database.sql, overrides.emailLinkWorker);
    },
  });
  return { ...service, app, deps, keys, database, bus };
}
