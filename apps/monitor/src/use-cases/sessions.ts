import { monitorError } from '../domain/errors.js';
import { isExpired, newSession, type Session } from '../domain/session.js';
import type { MonitorDeps } from './deps.js';

type SessionDeps = Pick<MonitorDeps, 'sessions' | 'settings' | 'now' | 'newSessionId' | 'logger'>;

/** Sessions live in Redis: while it is away nobody signs in or out, and the answer says why (503). */
async function inStore<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw monitorError('SESSIONS_UNAVAILABLE', { retryAfterSeconds: 5, cause: error });
  }
}

/** Someone proved who they are with an access token: an admin gets a console session, anyone else nothing. */
export async function openSession(
  deps: SessionDeps,
  input: { userId: string; role: string; accessToken?: { token: string; expiresAt: Date } | undefined },
): Promise<{ sessionId: string; session: Session }> {
  if (input.role !== 'admin') {
    deps.logger.warn({ userId: input.userId }, 'console sign-in refused: not an admin');
    throw monitorError('NOT_ADMIN');
  }
  const sessionId = deps.newSessionId();
  const session = newSession({ userId: input.userId, now: deps.now(), ttlSeconds: deps.settings.sessionTtlSeconds, accessToken: input.accessToken });
  await inStore(() => deps.sessions.save(sessionId, session, deps.settings.sessionTtlSeconds));
  deps.logger.info({ userId: input.userId }, 'console session opened');
  return { sessionId, session };
}

/** The live session a cookie points to, or undefined. */
export async function findSession(deps: Pick<MonitorDeps, 'sessions' | 'now'>, input: { sessionId: string }): Promise<Session | undefined> {
  const session = await inStore(() => deps.sessions.find(input.sessionId));
  return session && !isExpired(session, deps.now()) ? session : undefined;
}

export async function endSession(deps: Pick<MonitorDeps, 'sessions' | 'logger'>, input: { sessionId: string; userId: string }): Promise<void> {
  await inStore(() => deps.sessions.remove(input.sessionId));
  deps.logger.info({ userId: input.userId }, 'console session ended');
}
