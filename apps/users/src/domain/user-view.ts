import type { NotificationPreferences } from '@trendcast/events';
import type { Role, UserRow } from '../db/schema.js';

/** What clients see of an account: never the password hash. */
export interface UserView {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  emailVerified: boolean;
  notificationPreferences: NotificationPreferences;
  createdAt: string;
}

export function toUserView(user: UserRow): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    emailVerified: user.emailVerifiedAt !== null,
    notificationPreferences: user.notificationPreferences,
    createdAt: user.createdAt.toISOString(),
  };
}
