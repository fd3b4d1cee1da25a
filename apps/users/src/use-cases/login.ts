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
  // Counted before the hash, so parallel guesses cannot all pass the limit; kept when the password is wrong.
  const attempt = await ctx.throttle.reservePasswordCheck({ email: input.email, ip: origin.ip });
  if (!attempt.granted) throw tooManyAttempts(attempt.retryAfterSeconds);

  const user = await findUserByEmail(ctx.db, input.email);
  const passwordMatches = user
    ? await ctx.hasher.verify(user.passwordHash, input.password)
    : await ctx.hasher.verifyAgainstDummy(input.password);
  if (!user || !passwordMatches) throw usersError('INVALID_CREDENTIALS');
  await attempt.release();
  // Only someone who knows the password learns that the account waits for verification.
  if (!user.emailVerifiedAt) throw usersError('EMAIL_NOT_VERIFIED');

  await ctx.throttle.loginSucceeded(user.email);
  const now = new Date();
  if (ctx.hasher.needsRehash(user.passwordHash)) {
    await updateUser(ctx.db, user.id, { passwordHash: await ctx.hasher.hash(input.password) }, now);
  }
  return openSession(ctx, ctx.db, user, now);
}
