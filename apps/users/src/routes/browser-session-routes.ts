import cookie from '@fastify/cookie';
import type { FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { DomainError, noContent } from '@trendcast/service-kit';
import { z } from 'zod';
import { usersError } from '../domain/errors.js';
import type { UsersDeps } from '../use-cases/deps.js';
import { endBrowserSession, openBrowserSession, refreshBrowserSession, type BrowserSession } from '../use-cases/browser-sessions.js';
import { assertFromOurPage } from './browser-request-guard.js';
import type { BrowserSessionSettings } from './browser-session-settings.js';
import { usersErrorStatuses } from './error-statuses.js';
import { clearedRefreshCookieOptions, refreshCookieName, refreshCookieOptions } from './refresh-cookie.js';
import { originOf } from './request.js';
import { browserSessionResponse } from './responses.js';
import { loginBody } from './schemas.js';

/** Our opaque refresh tokens; anything else in the cookie is treated as no session. */
const cookieToken = z.string().regex(/^[A-Za-z0-9_-]{16,256}$/);

/**
 * Sessions for the web app: the refresh token lives in an httpOnly, SameSite=Strict cookie scoped to
 * these routes, so page scripts never hold it; the access token is returned for the page's memory.
 */
export const browserSessionRoutes: FastifyPluginAsyncZod<{ deps: UsersDeps; settings: BrowserSessionSettings }> = async (
  app,
  { deps, settings },
) => {
  await app.register(cookie);
  app.addHook('onRequest', async (request) => assertFromOurPage(request, settings));

  const answer = (session: BrowserSession) => ({ accessToken: session.accessToken, expiresIn: session.expiresIn, user: session.user });

  app.post('/sessions/browser', { schema: { body: loginBody, response: { 200: browserSessionResponse } } }, async (request, reply) => {
    const session = await openBrowserSession(deps, { ...request.body, origin: originOf(request) });
    reply.setCookie(refreshCookieName, session.refreshToken, refreshCookieOptions(settings));
    return answer(session);
  });

  app.post('/sessions/browser/refresh', { schema: { response: { 200: browserSessionResponse } } }, async (request, reply) => {
    const presented = cookieToken.safeParse(request.cookies[refreshCookieName]);
    try {
      if (!presented.success) throw usersError('REFRESH_TOKEN_INVALID');
      const session = await refreshBrowserSession(deps, { refreshToken: presented.data });
      reply.setCookie(refreshCookieName, session.refreshToken, refreshCookieOptions(settings));
      return answer(session);
    } catch (error) {
      // A cookie that can no longer refresh is dropped, so the browser stops presenting it.
      if (isUnauthenticated(error)) reply.setCookie(refreshCookieName, '', clearedRefreshCookieOptions(settings));
      throw error;
    }
  });

  app.delete('/sessions/browser', { schema: { response: { 204: noContent } } }, async (request, reply) => {
    const presented = cookieToken.safeParse(request.cookies[refreshCookieName]);
    await endBrowserSession(deps, { refreshToken: presented.success ? presented.data : undefined });
    reply.setCookie(refreshCookieName, '', clearedRefreshCookieOptions(settings));
    return reply.status(204).send();
  });
};

function isUnauthenticated(error: unknown): boolean {
  return error instanceof DomainError && usersErrorStatuses[error.code as keyof typeof usersErrorStatuses] === 401;
}
