import fastifyJwt, { type TokenOrHeader } from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, HttpError } from '../errors.js';
import { acceptedAlgorithms, accessTokenClaimsSchema, invalidToken, type AuthUser, type Role } from './access-token-claims.js';
import { jwksKeys, type KeySource } from './key-sources.js';
import { markAccessCheck } from './route-access.js';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    /** Set by app.authenticate; only read it on routes that run it (or requireRole). */
    user: AuthUser;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: verifies the bearer token and sets request.user, or answers 401. */
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
}

/** How this service verifies the access tokens the users service signs. */
export interface AccessTokenOptions {
  /** The users service's JWKS (`jwksKeys({ url: config.JWKS_URL })`), or keys at hand (`localKeys(jwks)`). */
  keys: KeySource;
  issuer: string;
  audience: string;
  /** Allowed clock skew between services for exp/nbf/iat (default 5 s). */
  clockToleranceSeconds?: number;
  /**
   * Verified tokens remembered (by their exact text) until their `exp`, at most this many; 0 (the
   * default) verifies every request. A client repeats one token for its whole life, and the
   * signature check dominates a cheap request's cost.
   */
  cacheSize?: number;
}

/** Compact JWS, bounded so a huge header cannot make us parse megabytes. */
const bearer = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;
const maxHeaderLength = 8192;

export function bearerTokenOf(authorization: string | undefined): string | undefined {
  if (!authorization || authorization.length > maxHeaderLength) return undefined;
  return bearer.exec(authorization)?.[1];
}

/**
 * `app.authenticate` on @fastify/jwt (fast-jwt underneath): the token's header picks the key from
 * the key source, fast-jwt checks the signature with only the accepted algorithms, iss, aud and
 * exp, and the claims are read with zod. Every failure is a 401 in the one error format, except
 * keys that cannot be fetched (503: the token may be fine).
 */
export const authPlugin = fp<{ accessTokens?: AccessTokenOptions }>(
  async (app: FastifyInstance, o) => {
    app.decorateRequest('user', null as unknown as AuthUser);
    const options = o.accessTokens;
    if (options) {
      await app.register(fastifyJwt, {
        decoratorName: 'accessTokenClaims',
        decode: { complete: true },
        // decode.complete: the callback gets the whole decoded token, whose header names the key.
        secret: async (_request: FastifyRequest, token: TokenOrHeader) =>
          options.keys.publicKeyFor('header' in token ? token.header : token),
        verify: {
          algorithms: acceptedAlgorithms as never,
          allowedIss: options.issuer,
          allowedAud: options.audience,
          clockTolerance: (options.clockToleranceSeconds ?? 5) * 1000,
          requiredClaims: ['iss', 'aud', 'exp', 'sub', 'jti'],
          ...(options.cacheSize ? { cache: options.cacheSize, cacheTTL: 24 * 3600_000 } : {}),
          extractToken: (request: FastifyRequest) => bearerTokenOf(request.headers.authorization),
        },
      });
    }

    const authenticate = async function authenticate(request: FastifyRequest) {
      if (!options) throw new Error('app.authenticate used but buildServiceApp got no accessTokens');
      const authorization = request.headers.authorization;
      if (!bearerTokenOf(authorization)) {
        if (authorization) throw invalidToken('Malformed Authorization header');
        throw new HttpError(401, 'UNAUTHENTICATED', 'Authentication required');
      }
      let payload: unknown;
      try {
        payload = await request.jwtVerify();
      } catch (error) {
        throw classify(error);
      }
      const claims = accessTokenClaimsSchema.safeParse(payload);
      if (!claims.success) throw invalidToken('Invalid token', claims.error);
      const { sub, role, jti, sid } = claims.data;
      request.user = sid === undefined ? { id: sub, role, tokenId: jti } : { id: sub, role, tokenId: jti, sessionId: sid };
      request.log = request.log.child({ userId: sub });
    };
    app.decorate('authenticate', markAccessCheck(authenticate, { roles: [] }));
  },
  { name: 'trendcast-auth', fastify: '5.x' },
);

/** Our own key-source answers pass as they are; whatever @fastify/jwt or fast-jwt refused is a bad token. */
function classify(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED' || code === 'FAST_JWT_EXPIRED') return invalidToken('Token expired', error);
  if (code.startsWith('FST_JWT_') || code.startsWith('FAST_JWT_')) return invalidToken('Invalid token', error);
  throw error;
}

/**
 * preHandler allowing only the given roles; authenticates first when the route did not.
 * `{ preHandler: [app.authenticate, requireRole('admin')] }` or just `{ preHandler: requireRole('admin') }`.
 */
export function requireRole(...allowed: Role[]): preHandlerAsyncHookHandler {
  return markAccessCheck(
    async function checkRole(this: FastifyInstance, request) {
      if (!request.user) await request.server.authenticate(request);
      if (!allowed.includes(request.user.role)) throw forbidden(`Requires role ${allowed.join(' or ')}`);
    },
    { roles: allowed },
  );
}

/**
 * How a service checks access tokens, from its auth config (`authConfigShape`): the users
 * service's JWKS at JWKS_URL unless `keys` are given (tests pass local ones).
 */
export function accessTokensFrom(config: { JWKS_URL: string; JWT_ISSUER: string; JWT_AUDIENCE: string }, keys?: KeySource): AccessTokenOptions {
  return { keys: keys ?? jwksKeys({ url: config.JWKS_URL }), issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE };
}
