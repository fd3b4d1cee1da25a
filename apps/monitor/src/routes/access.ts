import { describeError } from '@trendcast/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Session } from '../domain/session.js';
import type { MonitorDeps } from '../use-cases/deps.js';
import { findSession } from '../use-cases/sessions.js';
import { consolePath, paths } from '../views/paths.js';
import { sessionCookieName } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the console's access check on every page and API call that needs a session. */
    consoleSession: { id: string; session: Session } | null;
  }
}

export interface AccessRules {
  /** Origins whose pages may send state-changing requests (the gateway's). */
  allowedOrigins: ReadonlySet<string>;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const sessionId = z.string().regex(/^[A-Za-z0-9_-]{32,64}$/);

/** Paths anyone may reach: the sign-in page and its assets, and the route that opens a session (it checks a token itself). */
function isPublic(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0]!;
  if (path === paths.signIn || path.startsWith(`${consolePath}/assets/`)) return true;
  return path === paths.session && request.method === 'POST';
}

/** A person's browser navigating (a page or a form) rather than a script calling the API. */
function wantsPage(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0]!;
  return !path.startsWith(`${consolePath}/api/`) && (request.headers.accept ?? '').includes('text/html');
}

function refuse(reply: FastifyReply, status: 401 | 403, code: string, error: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error, code });
}

/**
 * The console's one door, run before anything under /admin/queues: a state-changing request must
 * come from our own pages (its Origin), and everything but the sign-in page needs a live session.
 * A signed-out browser is sent to the sign-in page; a script gets 401. Nothing about queues is
 * read before this passes.
 */
export function consoleAccess(deps: Pick<MonitorDeps, 'sessions' | 'now'>, rules: AccessRules) {
  return async function checkAccess(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (!safeMethods.has(request.method) && !rules.allowedOrigins.has(request.headers.origin ?? '')) {
      request.log.warn({ origin: request.headers.origin ?? null }, 'console request refused: not from our own pages');
      return refuse(reply, 403, 'CSRF_REJECTED', 'Requests that change something must come from the console’s own pages');
    }
    if (isPublic(request)) return undefined;

    const cookie = request.cookies[sessionCookieName];
    const unsigned = cookie === undefined ? undefined : request.unsignCookie(cookie);
    const id = unsigned?.valid ? sessionId.safeParse(unsigned.value) : undefined;
    let session: Session | undefined;
    try {
      session = id?.success ? await findSession(deps, { sessionId: id.data }) : undefined;
    } catch (error) {
      // Sessions live in Redis: while it is away nobody can be let in, and that is no one's fault.
      request.log.warn({ err: describeError(error) }, 'console sessions unreachable');
      return reply.code(503).header('cache-control', 'no-store').header('retry-after', '5').send({
        error: 'The console cannot check sign-ins right now; try again shortly',
        code: 'SERVICE_UNAVAILABLE',
      });
    }
    if (id?.success && session) {
      request.consoleSession = { id: id.data, session };
      request.log = request.log.child({ userId: session.userId });
      return undefined;
    }
    if (wantsPage(request)) {
      const next = request.method === 'GET' ? request.url : undefined;
      const query = new URLSearchParams({ ...(next ? { next } : {}), ...(cookie ? { notice: 'expired' } : {}) }).toString();
      return reply.header('cache-control', 'no-store').redirect(query ? `${paths.signIn}?${query}` : paths.signIn, 303);
    }
    return refuse(reply, 401, 'UNAUTHENTICATED', 'Sign in to the console first');
  };
}
