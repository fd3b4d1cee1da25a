import cookie from '@fastify/cookie';
import type { FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { isHttpError } from '@trendcast/service-kit';
import { z } from 'zod';
import { originOf } from '../http/request.js';
import { loginBody } from '../http/schemas.js';
import { usersError } from '../errors.js';
import type { UsersContext } from '../use-cases/context.js';
import { endBrowserSession, openBrowserSession, refreshBrowserSession, type BrowserSession } from './browser-sessions.js';
import type { BrowserSessionSettings } from './config.js';
import { clearedRefreshCookieOptions, refreshCookieName, refreshCookieOptions } from './refresh-cookie.js';
import { assertFromOurPage } from './request-guard.js';

/** Our opaque refresh tokens; anything else in the cookie is treated as no session. */
const cookieToken = z.string().regex(/^[A-Za-z0-9_-]{16,256}$/);

/**
 * Sessions for the web app: the refresh token lives in an httpOnly, SameSite=Strict cookie scoped to
 * these routes, so page scripts never hold it; the access token is returned for the page's memory.
 */
export const browserSessionRoutes: FastifyPluginAsyncZod<{ ctx: UsersContext; settings: BrowserSessionSettings }> = async (
  app,
  { ctx, settings },
) => {
  await app.register(cookie);
  app.addHook('onRequest', async (request) => assertFromOurPage(request, settings));

  const answer = (session: BrowserSession) => ({ accessToken: session.accessToken, expiresIn: session.expiresIn, user: session.user });

  app.post('/sessions/browser', { schema: { body: loginBody } }, async (request, reply) => {
    const session = await openBrowserSession(ctx, request.body, originOf(request));
    reply.setCookie(refreshCookieName, session.refreshToken, refreshCookieOptions(settings));
    return answer(session);
  });

  app.post('/sessions/browser/refresh', async (request, reply) => {
    const presented = cookieToken.safeParse(request.cookies[refreshCookieName]);
    try {
      if (!presented.success) throw usersError('REFRESH_TOKEN_INVALID');
      const session = await refreshBrowserSession(ctx, presented.data);
      reply.setCookie(refreshCookieName, session.refreshToken, refreshCookieOptions(settings));
      return answer(session);
    } catch (error) {
      // A cookie that can no longer refresh is dropped, so the browser stops presenting it.
      if (isHttpError(error) && error.statusCode === 401) reply.setCookie(refreshCookieName, '', clearedRefreshCookieOptions(settings));
      throw error;
    }
  });

  app.delete('/sessions/browser', async (request, reply) => {
    const presented = cookieToken.safeParse(request.cookies[refreshCookieName]);
    await endBrowserSession(ctx, presented.success ? presented.data : undefined);
    reply.setCookie(refreshCookieName, '', clearedRefreshCookieOptions(settings));
    return reply.status(204).send();
  });
};
