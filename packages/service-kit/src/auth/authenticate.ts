import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, HttpError } from '../errors.js';
import { invalidToken, type AuthUser, type Role, type TokenVerifier } from './token-verifier.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: verifies the bearer token and sets request.user, or answers 401. */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyRequest {
    /** Set by app.authenticate; only read it on routes that run it (or requireRole). */
    user: AuthUser;
  }
}

/** Compact JWS, bounded so a huge header cannot make us parse megabytes. */
const bearer = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;
const maxHeaderLength = 8192;

export function bearerTokenOf(authorization: string | undefined): string | undefined {
  if (!authorization || authorization.length > maxHeaderLength) return undefined;
  return bearer.exec(authorization)?.[1];
}

export const authPlugin = fp<{ tokenVerifier?: TokenVerifier }>(
  async (app: FastifyInstance, o) => {
    app.decorateRequest('user', null as unknown as AuthUser);
    app.decorate('authenticate', async function authenticate(request: FastifyRequest) {
      if (!o.tokenVerifier) throw new Error('app.authenticate used but buildServiceApp got no tokenVerifier');
      const authorization = request.headers.authorization;
      const token = bearerTokenOf(authorization);
      if (!token) {
        if (authorization) throw invalidToken('Malformed Authorization header');
        throw new HttpError(401, 'UNAUTHENTICATED', 'Authentication required');
      }
      request.user = await o.tokenVerifier.verify(token);
      request.log = request.log.child({ userId: request.user.id });
    });
  },
  { name: 'trendcast-auth', fastify: '5.x' },
);

/**
 * preHandler allowing only the given roles; authenticates first when the route did not.
 * `{ preHandler: [app.authenticate, requireRole('admin')] }` or just `{ preHandler: requireRole('admin') }`.
 */
export function requireRole(...allowed: Role[]): preHandlerAsyncHookHandler {
  return async function checkRole(this: FastifyInstance, request, reply) {
    if (!request.user) await request.server.authenticate(request, reply);
    if (!allowed.includes(request.user.role)) throw forbidden(`Requires role ${allowed.join(' or ')}`);
  };
}
