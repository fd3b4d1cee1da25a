import { consumeOneTimeToken, findOneTimeToken } from '../data/one-time-tokens.js';
import { findUserById, updateUser } from '../data/users.js';
import { usersError } from '../domain/errors.js';
import { hashOpaqueToken } from '../security/opaque-tokens.js';
import type { UsersDeps } from './deps.js';

/** Spends a verification token and marks its account verified. */
export async function verifyEmail(deps: UsersDeps, { token }: { token: string }): Promise<void> {
  const now = new Date();
  await deps.db.transaction(async (tx) => {
    const row = await findOneTimeToken(tx, hashOpaqueToken(token), 'verify_email');
    if (!row || row.usedAt) throw usersError('TOKEN_INVALID');
    if (row.expiresAt <= now) throw usersError('TOKEN_EXPIRED');
    if (!(await consumeOneTimeToken(tx, row.id, now))) throw usersError('TOKEN_INVALID');
    const user = await findUserById(tx, row.userId, { forUpdate: true });
    if (user && !user.emailVerifiedAt) await updateUser(tx, user.id, { emailVerifiedAt: now }, now);
  });
}
