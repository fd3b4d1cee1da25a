import { findUserByEmail, updateUser } from '../data/users.js';
import { tooManyAttempts, usersError } from '../domain/errors.js';
import type { Asked, UsersDeps } from './deps.js';
import { openSession, type SessionTokens } from './sessions.js';

export interface LoginInput {
  email: string;
  password: string;
}

/**
 * Checks the password and opens a session. An unknown email costs the same hash as a wrong
 * password and gets the same answer, so neither the body nor the timing tells them apart.
 */
export async function login(deps: UsersDeps, { origin, ...input }: LoginInput & Asked): Promise<SessionTokens> {
  // Counted before the hash, so parallel guesses cannot all pass the limit; kept when the password is wrong.
  const attempt = await deps.throttle.reservePasswordCheck({ email: input.email, ip: origin.ip });
  if (!attempt.granted) throw tooManyAttempts(attempt.retryAfterSeconds);

  const user = await findUserByEmail(deps.db, input.email);
  const passwordMatches = user
    ? await deps.hasher.verify(user.passwordHash, input.password)
    : await deps.hasher.verifyAgainstDummy(input.password);
  if (!user || !passwordMatches) throw usersError('INVALID_CREDENTIALS');
  await attempt.release();
  // Only someone who knows the password learns that the account waits for verification.
  if (!user.emailVerifiedAt) throw usersError('EMAIL_NOT_VERIFIED');

  await deps.throttle.loginSucceeded(user.email);
  const now = new Date();
  if (deps.hasher.needsRehash(user.passwordHash)) {
    await updateUser(deps.db, user.id, { passwordHash: await deps.hasher.hash(input.password) }, now);
  }
  return openSession(deps, deps.db, user, now);
}
