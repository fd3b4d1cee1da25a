import { createEvent, type NotificationPreferences } from '@trendcast/events';
import { deleteUser, findUserById, lockAdmins, updateUser } from '../data/users.js';
import { toUserView, type UserView } from '../domain/user-view.js';
import { usersError } from '../domain/errors.js';
import type { Asked, UsersDeps } from './deps.js';
import { reauthenticate } from './reauthenticate.js';

export async function getMyAccount(deps: UsersDeps, { userId }: { userId: string }): Promise<UserView> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw usersError('USER_NOT_FOUND');
  return toUserView(user);
}

export interface AccountChanges {
  displayName?: string;
  notificationPreferences?: Partial<NotificationPreferences>;
}

/** Updates the profile and announces the new state; a request that changes nothing announces nothing. */
export async function updateMyAccount(
  deps: UsersDeps,
  { userId, changes, origin }: { userId: string; changes: AccountChanges } & Asked,
): Promise<UserView> {
  const now = new Date();
  const user = await deps.db.transaction(async (tx) => {
    const current = await findUserById(tx, userId, { forUpdate: true });
    if (!current) throw usersError('USER_NOT_FOUND');
    const displayName = changes.displayName ?? current.displayName;
    const notificationPreferences = { ...current.notificationPreferences, ...changes.notificationPreferences };
    const unchanged =
      displayName === current.displayName &&
      JSON.stringify(notificationPreferences) === JSON.stringify(current.notificationPreferences);
    if (unchanged) return current;

    const updated = (await updateUser(tx, userId, { displayName, notificationPreferences }, now))!;
    await deps.recordEvents(tx, [
      createEvent(
        'users.user.updated',
        {
          userId,
          email: updated.email,
          displayName: updated.displayName,
          notificationPreferences: updated.notificationPreferences,
        },
        origin.event,
      ),
    ]);
    return updated;
  });
  return toUserView(user);
}

/**
 * Deletes the account (its sessions and tokens go with it) and announces it, so every other
 * service erases that user's data.
 */
export async function deleteMyAccount(
  deps: UsersDeps,
  { userId, password, origin }: { userId: string; password: string } & Asked,
): Promise<void> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw usersError('USER_NOT_FOUND');
  await reauthenticate(deps, user, password, origin);

  await deps.db.transaction(async (tx) => {
    if (user.role === 'admin') {
      const admins = await lockAdmins(tx);
      if (admins.length <= 1 && admins.includes(user.id)) throw usersError('LAST_ADMIN');
    }
    if (!(await deleteUser(tx, user.id))) throw usersError('USER_NOT_FOUND');
    await deps.recordEvents(tx, [createEvent('users.user.deleted', { userId: user.id }, origin.event)]);
  });
  deps.logger.info({ userId }, 'account deleted');
}
