import { findUserByEmail } from '../data/users.js';
import type { RequestOrigin, UsersContext } from './context.js';
import { sendEmailLink } from './email-links.js';

/** Sends a new verification link when the account exists and is unverified; the caller never learns which. */
export async function resendVerification(ctx: UsersContext, email: string, origin: RequestOrigin): Promise<void> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user || user.emailVerifiedAt) return;
  await sendEmailLink(ctx, user, 'verify_email', origin);
}
