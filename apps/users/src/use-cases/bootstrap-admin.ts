import { createEvent, defaultNotificationPreferences, type EventOrigin } from '@trendcast/events';
import { isUniqueViolation } from '../db/client.js';
import { findUserByEmail, insertUser, updateUser } from '../data/users.js';
import { checkPasswordPolicy } from '../domain/password-policy.js';
import type { UsersDeps } from './deps.js';

export interface AdminAccount {
  email: string;
  password: string;
  displayName: string;
}

export type BootstrapOutcome = 'created' | 'promoted' | 'unchanged';

export class AdminBootstrapError extends Error {
  override name = 'AdminBootstrapError';
}

/**
 * Makes sure the configured admin exists: creates it (verified) or promotes the existing
 * account. An existing account keeps its password; the configured one is only used to create it.
 */
export async function bootstrapAdmin(
  deps: UsersDeps,
  { origin, ...admin }: AdminAccount & { origin: EventOrigin },
): Promise<BootstrapOutcome> {
  const now = new Date();
  const existing = await findUserByEmail(deps.db, admin.email);
  if (existing) {
    if (existing.role === 'admin' && existing.emailVerifiedAt) return 'unchanged';
    await updateUser(deps.db, existing.id, { role: 'admin', emailVerifiedAt: existing.emailVerifiedAt ?? now }, now);
    return 'promoted';
  }

  const problems = checkPasswordPolicy(admin.password, { email: admin.email, displayName: admin.displayName });
  if (problems.length > 0) throw new AdminBootstrapError(`ADMIN_PASSWORD does not meet the password policy: ${problems.join(', ')}`);
  const passwordHash = await deps.hasher.hash(admin.password);
  try {
    await createAdmin(deps, admin, passwordHash, now, origin);
  } catch (error) {
    // Another instance starting at the same time created it first.
    if (isUniqueViolation(error, 'users_email_unique')) return bootstrapAdmin(deps, { ...admin, origin });
    throw error;
  }
  return 'created';
}

async function createAdmin(deps: UsersDeps, admin: AdminAccount, passwordHash: string, now: Date, origin: EventOrigin) {
  await deps.db.transaction(async (tx) => {
    const user = await insertUser(tx, {
      email: admin.email,
      displayName: admin.displayName,
      passwordHash,
      notificationPreferences: defaultNotificationPreferences,
      role: 'admin',
      emailVerifiedAt: now,
      createdAt: now,
    });
    await deps.recordEvents(tx, [
      createEvent(
        'users.user.registered',
        { userId: user.id, email: user.email, displayName: user.displayName, notificationPreferences: user.notificationPreferences },
        origin,
      ),
    ]);
  });
}
