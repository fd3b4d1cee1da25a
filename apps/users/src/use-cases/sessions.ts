import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { insertRefreshToken } from '../data/refresh-tokens.js';
import { generateOpaqueToken, hashOpaqueToken } from '../security/opaque-tokens.js';
import { secondsFrom, type UsersDeps } from './deps.js';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  tokenType: 'Bearer';
}

/** A refresh token never outlives its family's absolute end. */
export function refreshTokenExpiry(deps: UsersDeps, now: Date, familyExpiresAt: Date): Date {
  const idle = secondsFrom(now, deps.settings.refreshTokenTtlSeconds);
  return idle < familyExpiresAt ? idle : familyExpiresAt;
}

/** Starts a new session: a new refresh-token family and an access token naming it. */
export async function openSession(
  deps: UsersDeps,
  db: Executor,
  user: { id: string; role: Role },
  now: Date,
): Promise<SessionTokens> {
  const familyId = randomUUID();
  const refreshToken = generateOpaqueToken();
  const familyExpiresAt = secondsFrom(now, deps.settings.sessionMaxAgeSeconds);
  await insertRefreshToken(db, {
    userId: user.id,
    familyId,
    tokenHash: hashOpaqueToken(refreshToken),
    createdAt: now,
    expiresAt: refreshTokenExpiry(deps, now, familyExpiresAt),
    familyExpiresAt,
  });
  return sessionTokens(deps, user, familyId, refreshToken, now);
}

export async function sessionTokens(
  deps: UsersDeps,
  user: { id: string; role: Role },
  familyId: string,
  refreshToken: string,
  now: Date,
): Promise<SessionTokens> {
  const access = await deps.accessTokens.issue({ userId: user.id, role: user.role, sessionId: familyId }, now);
  return { accessToken: access.token, refreshToken, expiresIn: access.expiresIn, tokenType: 'Bearer' };
}
