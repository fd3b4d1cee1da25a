import { createEvent } from '@trendcast/events';
import { retireOneTimeTokens } from '../data/one-time-tokens.js';
import { revokeUserFamilies } from '../data/refresh-tokens.js';
import { findUserById, updateUser } from '../data/users.js';
import { checkPasswordPolicy } from '../domain/password-policy.js';
import { usersError } from '../domain/errors.js';
import type { Asked, UsersDeps } from './deps.js';
import { reauthenticate } from './reauthenticate.js';

export interface ChangePasswordInput {
  userId: string;
  /** The session asking, which stays signed in; every other session ends. */
  sessionId: string | undefined;
  currentPassword: string;
  newPassword: string;
}

export async function changePassword(deps: UsersDeps, { origin, ...input }: ChangePasswordInput & Asked): Promise<void> {
  const user = await findUserById(deps.db, input.userId);
  if (!user) throw usersError('USER_NOT_FOUND');
  await reauthenticate(deps, user, input.currentPassword, origin);

  const problems = checkPasswordPolicy(input.newPassword, {
    email: user.email,
    displayName: user.displayName,
    currentPassword: input.currentPassword,
  });
  if (problems.length > 0) throw usersError('WEAK_PASSWORD', { details: { problems } });
  const passwordHash = await deps.hasher.hash(input.newPassword);

  const now = new Date();
  await deps.db.transaction(async (tx) => {
    const updated = await updateUser(tx, user.id, { passwordHash, passwordChangedAt: now }, now);
    if (!updated) throw usersError('USER_NOT_FOUND');
    await revokeUserFamilies(tx, user.id, now, { exceptFamilyId: input.sessionId });
    // A reset link mailed before the change must not undo it.
    await retireOneTimeTokens(tx, user.id, 'reset_password', now);
    await deps.recordEvents(tx, [
      createEvent(
        'users.password.changed',
        { userId: user.id, email: user.email, displayName: user.displayName, changedAt: now.toISOString() },
        origin.event,
      ),
    ]);
  });
}
