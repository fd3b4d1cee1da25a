import { findUserByEmail } from '../data/users.js';
import type { RequestOrigin, UsersContext } from './context.js';
import { sendEmailLink } from './email-links.js';

/** Sends a reset link when the account exists; the caller never learns whether it does. */
export async function forgotPassword(ctx: UsersContext, email: string, origin: RequestOrigin): Promise<void> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user) return;
  await sendEmailLink(ctx, user, 'reset_password', origin);
}
