import { findUserByEmail } from '../data/users.js';
import type { Asked, UsersDeps } from './deps.js';
import { sendEmailLink } from './email-links.js';

/** Sends a reset link when the account exists; the caller never learns whether it does. */
export async function forgotPassword(deps: UsersDeps, { email, origin }: { email: string } & Asked): Promise<void> {
  const user = await findUserByEmail(deps.db, email);
  if (!user) return;
  await sendEmailLink(deps, user, 'reset_password', origin);
}
