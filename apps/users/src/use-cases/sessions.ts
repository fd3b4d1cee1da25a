import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { insertRefreshToken } from '../data/refresh-tokens.js';
import { generateOpaqueToken, hashOpaqueToken } from '../security/opaque-tokens.js';
import { secondsFrom, type UsersContext } from './context.js';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  tokenType: 'Bearer';
}

/** A refresh token never outlives its family's absolute end. */
export function refreshTokenExpiry(ctx: UsersContext, now: Date, familyExpiresAt: Date): Date {
  const idle = secondsFrom(now, ctx.settings.refreshTokenTtlSeconds);
  return idle < familyExpiresAt ? idle : familyExpiresAt;
}

/** Starts a new session: a new refresh-token family and an access token naming it. */
export async function openSession(
  ctx: UsersContext,
  db: Executor,
  user: { id: string; role: Role },
  now: Date,
): Promise<SessionTokens> {
  const familyId = randomUUID();
  const refreshToken = generateOpaqueToken();
  const familyExpiresAt = secondsFrom(now, ctx.settings.sessionMaxAgeSeconds);
  await insertRefreshToken(db, {
    userId: user.id,
    familyId,
    tokenHash: hashOpaqueToken(refreshToken),
    createdAt: now,
    expiresAt: refreshTokenExpiry(ctx, now, familyExpiresAt),
    familyExpiresAt,
  });
  return sessionTokens(ctx, user, familyId, refreshToken, now);
}

export async function sessionTokens(
  ctx: UsersContext,
  user: { id: string; role: Role },
  familyId: string,
  refreshToken: string,
  now: Date,
): Promise<SessionTokens> {
  const access = await ctx.accessTokens.issue({ userId: user.id, role: user.role, sessionId: familyId }, now);
  return { accessToken: access.token, refreshToken, expiresIn: access.expiresIn, tokenType: 'Bearer' };
}
