import {
  buildServiceApp,
  type Logger,
  type ReadinessCheck,
  type ServiceApp,
  type ServiceMetrics,
} from '@trendcast/service-kit';
import { browserSessionSettings } from './browser-sessions/config.js';
import { browserSessionRoutes } from './browser-sessions/routes.js';
import type { UsersConfig } from './config.js';
import { createUsersTokenVerifier } from './http/token-verifier.js';
import { accountRoutes } from './routes/account-routes.js';
import { adminRoutes } from './routes/admin-routes.js';
import { jwksRoutes } from './routes/jwks-routes.js';
import { passwordRoutes } from './routes/password-routes.js';
import { registrationRoutes } from './routes/registration-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import type { SigningKeyRing } from './security/signing-keys.js';
import type { UsersContext } from './use-cases/context.js';

export const serviceName = 'users';

export interface UsersAppOptions {
  config: Pick<
    UsersConfig,
    | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'HTTP_BODY_LIMIT_BYTES' | 'TRUST_PROXY'
    | 'NODE_ENV' | 'PUBLIC_BASE_URL' | 'REFRESH_TOKEN_TTL_SECONDS' | 'SESSION_COOKIE_SECURE' | 'SESSION_COOKIE_PATH' | 'WEB_ORIGINS'
  >;
  ctx: UsersContext;
  keys: SigningKeyRing;
  logger: Logger;
  metrics: ServiceMetrics;
  readiness: Record<string, ReadinessCheck>;
  /** Verified access tokens remembered until they expire (default 10 000); 0 verifies every request. */
  tokenCacheSize?: number;
}

/** Builds the users HTTP app; never listens (main.ts does, tests use inject). */
export async function buildUsersApp(o: UsersAppOptions): Promise<ServiceApp> {
  const app = await buildServiceApp({
    service: serviceName,
    logger: o.logger,
    metrics: o.metrics,
    readiness: o.readiness,
    tokenVerifier: createUsersTokenVerifier(o.keys, {
      issuer: o.config.JWT_ISSUER,
      audience: o.config.JWT_AUDIENCE,
      ...(o.tokenCacheSize !== undefined ? { cacheSize: o.tokenCacheSize } : {}),
    }),
    bodyLimit: o.config.HTTP_BODY_LIMIT_BYTES,
    trustProxy: o.config.TRUST_PROXY,
    openapi: { title: 'Trendcast users', version: '1' },
  });

  await app.register(jwksRoutes, { prefix: '/users', keys: o.keys });
  await app.register(
    async (users) => {
      // Tokens and personal data: no cache may keep these answers.
      users.addHook('onSend', async (_request, reply) => {
        reply.header('cache-control', 'no-store');
      });
      await users.register(registrationRoutes, { ctx: o.ctx });
      await users.register(sessionRoutes, { ctx: o.ctx });
      await users.register(browserSessionRoutes, { ctx: o.ctx, settings: browserSessionSettings(o.config) });
      await users.register(passwordRoutes, { ctx: o.ctx });
      await users.register(accountRoutes, { ctx: o.ctx });
      await users.register(adminRoutes, { ctx: o.ctx });
    },
    { prefix: '/users' },
  );
  return app;
}
