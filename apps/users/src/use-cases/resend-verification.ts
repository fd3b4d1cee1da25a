import { findUserByEmail } from '../data/users.js';
import type { Asked, UsersDeps } from './deps.js';
import { sendEmailLink } from './email-links.js';

/** Sends a new verification link when the account exists and is unverified; the caller never learns which. */
export async function resendVerification(deps: UsersDeps, { email, origin }: { email: string } & Asked): Promise<void> {
  const user = await findUserByEmail(deps.db, email);
  if (!user || user.emailVerifiedAt) return;
  await sendEmailLink(deps, user, 'verify_email', origin);
}
