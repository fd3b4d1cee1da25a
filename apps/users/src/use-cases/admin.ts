import { findUserById, listUsers, lockAdmins, updateUser, type UserCursor } from '../data/users.js';
import type { Role } from '../db/schema.js';
import { toUserView, type UserView } from '../domain/user-view.js';
import { usersError } from '../domain/errors.js';
import type { UsersDeps } from './deps.js';

/**
 * The token says admin, but it may be minutes old: admin actions also check the role stored
 * now, so a demoted admin loses these powers at once.
 */
async function assertStillAdmin(deps: UsersDeps, actorId: string): Promise<void> {
  const actor = await findUserById(deps.db, actorId);
  if (actor?.role !== 'admin') throw usersError('NOT_ADMIN');
}

export interface UserPage {
  items: UserView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: UserCursor | null;
}

export async function listAccounts(
  deps: UsersDeps,
  { actorId, ...page }: { actorId: string; limit: number; after?: UserCursor | undefined },
): Promise<UserPage> {
  await assertStillAdmin(deps, actorId);
  // One extra row tells whether another page exists.
  const rows = await listUsers(deps.db, { limit: page.limit + 1, after: page.after });
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  const nextCursor = rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null;
  return { items: items.map(toUserView), nextCursor };
}

/** Grants or removes the admin role; the last admin cannot be demoted. */
export async function changeRole(
  deps: UsersDeps,
  { actorId, targetId, role }: { actorId: string; targetId: string; role: Role },
): Promise<UserView> {
  await assertStillAdmin(deps, actorId);
  const now = new Date();
  const user = await deps.db.transaction(async (tx) => {
    const admins = await lockAdmins(tx);
    const target = await findUserById(tx, targetId, { forUpdate: true });
    if (!target) throw usersError('USER_NOT_FOUND');
    if (target.role === role) return target;
    if (target.role === 'admin' && admins.length <= 1) throw usersError('LAST_ADMIN');
    return (await updateUser(tx, target.id, { role }, now))!;
  });
  deps.logger.info({ actorId, targetId, role }, 'role changed');
  return toUserView(user);
}
