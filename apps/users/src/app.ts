import { parkedOutbox } from '@trendcast/outbox';
import {
  buildServiceApp,
  localKeys,
  type ReadinessCheck,
  type ServiceApp,
  type ServiceLogger,
  type ServiceMetrics,
} from '@trendcast/service-kit';
import type { UsersConfig } from './config.js';
import { accountRoutes } from './routes/account-routes.js';
import { adminRoutes } from './routes/admin-routes.js';
import { browserSessionRoutes } from './routes/browser-session-routes.js';
import { browserSessionSettings } from './routes/browser-session-settings.js';
import { usersErrorStatuses } from './routes/error-statuses.js';
import { jwksRoutes } from './routes/jwks-routes.js';
import { passwordRoutes } from './routes/password-routes.js';
import { registrationRoutes } from './routes/registration-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import type { SigningKeyRing } from './security/signing-keys.js';
import type { UsersDeps } from './use-cases/deps.js';

export const serviceName = 'users';

export interface UsersAppOptions {
  config: Pick<
    UsersConfig,
    | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'HTTP_BODY_LIMIT_BYTES' | 'TRUST_PROXY'
    | 'NODE_ENV' | 'PUBLIC_BASE_URL' | 'REFRESH_TOKEN_TTL_SECONDS' | 'SESSION_COOKIE_SECURE' | 'SESSION_COOKIE_PATH' | 'WEB_ORIGINS'
  >;
  deps: UsersDeps;
  keys: SigningKeyRing;
  logger: ServiceLogger;
  metrics: ServiceMetrics;
  readiness: Record<string, ReadinessCheck>;
  /** Verified access tokens remembered until they expire (default 10 000); 0 verifies every request. */
  tokenCacheSize?: number | undefined;
  tokenClockToleranceSeconds?: number | undefined;
}

/** Builds the users HTTP app; never listens (service.ts does when asked, tests use inject). */
export async function buildUsersApp(o: UsersAppOptions): Promise<ServiceApp> {
  const app = await buildServiceApp({
    service: serviceName,
    logger: o.logger,
    metrics: o.metrics,
    readiness: o.readiness,
    // This service's own public keys: no JWKS round trip to itself.
    accessTokens: {
      keys: localKeys(o.keys.jwks().keys),
      issuer: o.config.JWT_ISSUER,
      audience: o.config.JWT_AUDIENCE,
      cacheSize: o.tokenCacheSize ?? 10_000,
      ...(o.tokenClockToleranceSeconds === undefined ? {} : { clockToleranceSeconds: o.tokenClockToleranceSeconds }),
    },
    domainErrors: usersErrorStatuses,
    bodyLimit: o.config.HTTP_BODY_LIMIT_BYTES,
    trustProxy: o.config.TRUST_PROXY,
    outbox: parkedOutbox(o.deps.db),
    openapi: { title: 'Trendcast users', version: '1' },
  });

  await app.register(jwksRoutes, { prefix: '/users', keys: o.keys });
  await app.register(
    async (users) => {
      // Tokens and personal data: no cache may keep these answers.
      users.addHook('onSend', async (_request, reply) => {
        reply.header('cache-control', 'no-store');
      });
      await users.register(registrationRoutes, { deps: o.deps });
      await users.register(sessionRoutes, { deps: o.deps });
      await users.register(browserSessionRoutes, { deps: o.deps, settings: browserSessionSettings(o.config) });
      await users.register(passwordRoutes, { deps: o.deps });
      await users.register(accountRoutes, { deps: o.deps });
      await users.register(adminRoutes, { deps: o.deps });
    },
    { prefix: '/users' },
  );
  return app;
}
