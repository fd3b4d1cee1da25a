import type { UserRow } from '../db/schema.js';
import { tooManyAttempts, usersError } from '../errors.js';
import type { RequestOrigin, UsersContext } from './context.js';

/**
 * Asks a signed-in user for their password again before a sensitive change. Failures count
 * against the same throttle as sign-ins, so a stolen access token cannot guess the password.
 */
export async function reauthenticate(ctx: UsersContext, user: UserRow, password: string, origin: RequestOrigin): Promise<void> {
  const attempt = { email: user.email, ip: origin.ip };
  const wait = await ctx.throttle.loginRetryAfter(attempt);
  if (wait) throw tooManyAttempts(wait);
  if (!(await ctx.hasher.verify(user.passwordHash, password))) {
    await ctx.throttle.recordLoginFailure(attempt);
    throw usersError('INVALID_PASSWORD');
  }
}
