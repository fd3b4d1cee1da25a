import type { UserRow } from '../db/schema.js';
import {
  findRefreshTokenForUpdate,
  insertRefreshToken,
  markRefreshTokenSpent,
  revokeFamily,
} from '../data/refresh-tokens.js';
import { findUserById } from '../data/users.js';
import { usersError } from '../domain/errors.js';
import { generateOpaqueToken, hashOpaqueToken } from '../security/opaque-tokens.js';
import type { UsersDeps } from './deps.js';
import { refreshTokenExpiry, sessionTokens, type SessionTokens } from './sessions.js';

type Outcome =
  | { kind: 'rotated'; user: UserRow; familyId: string; refreshToken: string }
  | { kind: 'reused'; userId: string; familyId: string }
  | { kind: 'invalid' }
  | { kind: 'expired' };

/**
 * Spends a refresh token for a new pair. A token that was already spent means two parties hold
 * it (one of them a thief): its whole family is revoked, so both must sign in again.
 */
export async function refreshSession(deps: UsersDeps, { refreshToken }: { refreshToken: string }): Promise<SessionTokens> {
  const now = new Date();
  // The transaction returns the outcome instead of throwing, so a family revocation commits.
  const outcome = await deps.db.transaction(async (tx): Promise<Outcome> => {
    const row = await findRefreshTokenForUpdate(tx, hashOpaqueToken(refreshToken));
    if (!row) return { kind: 'invalid' };
    if (row.spentAt) {
      await revokeFamily(tx, row.familyId, now);
      return { kind: 'reused', userId: row.userId, familyId: row.familyId };
    }
    if (row.revokedAt) return { kind: 'invalid' };
    if (row.expiresAt <= now) return { kind: 'expired' };
    // The role is read afresh, so a role change takes effect at the next refresh.
    const user = await findUserById(tx, row.userId);
    if (!user) return { kind: 'invalid' };

    await markRefreshTokenSpent(tx, row.id, now);
    const next = generateOpaqueToken();
    await insertRefreshToken(tx, {
      userId: row.userId,
      familyId: row.familyId,
      tokenHash: hashOpaqueToken(next),
      createdAt: now,
      expiresAt: refreshTokenExpiry(deps, now, row.familyExpiresAt),
      familyExpiresAt: row.familyExpiresAt,
    });
    return { kind: 'rotated', user, familyId: row.familyId, refreshToken: next };
  });

  switch (outcome.kind) {
    case 'rotated':
      return sessionTokens(deps, outcome.user, outcome.familyId, outcome.refreshToken, now);
    case 'reused':
      deps.logger.warn(
        { userId: outcome.userId, familyId: outcome.familyId },
        'spent refresh token presented again: session family revoked',
      );
      throw usersError('REFRESH_TOKEN_REUSED');
    case 'expired':
      throw usersError('REFRESH_TOKEN_EXPIRED');
    case 'invalid':
      throw usersError('REFRESH_TOKEN_INVALID');
  }
}
