import { createEvent } from '@trendcast/events';
import { consumeOneTimeToken, findOneTimeToken, retireOneTimeTokens } from '../data/one-time-tokens.js';
import { revokeUserFamilies } from '../data/refresh-tokens.js';
import { findUserById, updateUser } from '../data/users.js';
import { checkPasswordPolicy } from '../domain/password-policy.js';
import { usersError } from '../domain/errors.js';
import { hashOpaqueToken } from '../security/opaque-tokens.js';
import type { Asked, UsersDeps } from './deps.js';

export interface ResetPasswordInput {
  token: string;
  newPassword: string;
}

/**
 * Sets a new password with a single-use reset token and ends every session. Following the link
 * proves the mailbox is the user's, so the email counts as verified from then on.
 */
export async function resetPassword(deps: UsersDeps, { origin, ...input }: ResetPasswordInput & Asked): Promise<void> {
  const tokenHash = hashOpaqueToken(input.token);
  const token = await findOneTimeToken(deps.db, tokenHash, 'reset_password');
  if (!token || token.usedAt) throw usersError('TOKEN_INVALID');
  if (token.expiresAt <= new Date()) throw usersError('TOKEN_EXPIRED');
  const user = await findUserById(deps.db, token.userId);
  if (!user) throw usersError('TOKEN_INVALID');

  // A weak password leaves the token unspent, so the user can try another one.
  const problems = checkPasswordPolicy(input.newPassword, { email: user.email, displayName: user.displayName });
  if (problems.length > 0) throw usersError('WEAK_PASSWORD', { details: { problems } });
  const passwordHash = await deps.hasher.hash(input.newPassword);

  const now = new Date();
  await deps.db.transaction(async (tx) => {
    // Two requests with one token: only the first one spends it.
    if (!(await consumeOneTimeToken(tx, token.id, now))) throw usersError('TOKEN_INVALID');
    await updateUser(
      tx,
      user.id,
      { passwordHash, passwordChangedAt: now, emailVerifiedAt: user.emailVerifiedAt ?? now },
      now,
    );
    await revokeUserFamilies(tx, user.id, now);
    // Every other reset link still outstanding stops working with this one.
    await retireOneTimeTokens(tx, user.id, 'reset_password', now);
    await deps.recordEvents(tx, [
      createEvent(
        'users.password.changed',
        { userId: user.id, email: user.email, displayName: user.displayName, changedAt: now.toISOString() },
        origin.event,
      ),
    ]);
  });
  // The owner proved control of the mailbox: failed guesses by others no longer lock them out.
  await deps.throttle.loginSucceeded(user.email);
  deps.logger.info({ userId: user.id }, 'password reset; every session ended');
}
