import { findUserByEmail, updateUser } from '../data/users.js';
import { tooManyAttempts, usersError } from '../errors.js';
import type { RequestOrigin, UsersContext } from './context.js';
import { openSession, type SessionTokens } from './sessions.js';

export interface LoginInput {
  email: string;
  password: string;
}

/**
 * Checks the password and opens a session. An unknown email costs the same hash as a wrong
 * password and gets the same answer, so neither the body nor the timing tells them apart.
 */
export async function login(ctx: UsersContext, input: LoginInput, origin: RequestOrigin): Promise<SessionTokens> {
  const attempt = { email: input.email, ip: origin.ip };
  const wait = await ctx.throttle.loginRetryAfter(attempt);
  if (wait) throw tooManyAttempts(wait);

  const user = await findUserByEmail(ctx.db, input.email);
  const passwordMatches = user
    ? await ctx.hasher.verify(user.passwordHash, input.password)
    : await ctx.hasher.verifyAgainstDummy(input.password);
  if (!user || !passwordMatches) {
    await ctx.throttle.recordLoginFailure(attempt);
    throw usersError('INVALID_CREDENTIALS');
  }
  // Only someone who knows the password learns that the account waits for verification.
  if (!user.emailVerifiedAt) throw usersError('EMAIL_NOT_VERIFIED');

  await ctx.throttle.loginSucceeded(user.email);
  const now = new Date();
  if (ctx.hasher.needsRehash(user.passwordHash)) {
    await updateUser(ctx.db, user.id, { passwordHash: await ctx.hasher.hash(input.password) }, now);
  }
  return openSession(ctx, ctx.db, user, now);
}
