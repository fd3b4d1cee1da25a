import { bearerTokenOf, type FastifyPluginAsyncZod } from '@trendcast/service-kit';
import { z } from 'zod';
import type { MonitorDeps } from '../use-cases/deps.js';
import { endSession, openSession } from '../use-cases/sessions.js';
import { paths, safeNext } from '../views/paths.js';
import { scriptNeededPage, signInPage, signOutPage } from '../views/session-pages.js';
import { sendPage } from './pages.js';
import { clearedSessionCookieOptions, sessionCookieName, sessionCookieOptions, type SessionCookieSettings } from './session-cookie.js';

const expiryClaim = z.object({ exp: z.number().int().positive() });

/** The verified token's expiry (app.authenticate checked it already; this only reads `exp`). */
function accessTokenOf(authorization: string | undefined): { token: string; expiresAt: Date } | undefined {
  const token = bearerTokenOf(authorization);
  if (!token) return undefined;
  try {
    const claims = expiryClaim.safeParse(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')));
    return claims.success ? { token, expiresAt: new Date(claims.data.exp * 1000) } : undefined;
  } catch {
    return undefined;
  }
}

const signInQuery = z.object({
  next: z.string().max(2000).optional(),
  notice: z.enum(['signed-out', 'expired']).optional().catch(undefined),
});

/**
 * Signing in and out. The sign-in page's script gets an access token from the users service's
 * public login and presents it here once (`Authorization: Bearer`); an admin's token opens a
 * console session held in an httpOnly cookie.
 */
export const sessionRoutes: FastifyPluginAsyncZod<{ deps: MonitorDeps; cookie: SessionCookieSettings }> = async (app, { deps, cookie }) => {
  app.get('/sign-in', { schema: { querystring: signInQuery } }, async (request, reply) =>
    sendPage(reply, signInPage({ next: safeNext(request.query.next), notice: request.query.notice })),
  );

  // Only a browser without JavaScript sends the form here; its fields are never read.
  app.post('/sign-in', async (_request, reply) => sendPage(reply, scriptNeededPage(), 400));

  app.post('/session', { preHandler: app.authenticate }, async (request, reply) => {
    const accessToken = accessTokenOf(request.headers.authorization);
    const { sessionId } = await openSession(deps, { userId: request.user.id, role: request.user.role, accessToken });
    return reply.header('cache-control', 'no-store').setCookie(sessionCookieName, sessionId, sessionCookieOptions(cookie)).code(204).send();
  });

  app.get('/sign-out', async (_request, reply) => sendPage(reply, signOutPage()));

  app.post('/sign-out', async (request, reply) => {
    const current = request.consoleSession!;
    await endSession(deps, { sessionId: current.id, userId: current.session.userId });
    return reply
      .header('cache-control', 'no-store')
      .setCookie(sessionCookieName, '', clearedSessionCookieOptions(cookie))
      .redirect(`${paths.signIn}?notice=signed-out`, 303);
  });
};
