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
  const attempt = { email: input.email, ip: origin.ip };
  const wait = await deps.throttle.loginRetryAfter(attempt);
  if (wait) throw tooManyAttempts(wait);

  const user = await findUserByEmail(deps.db, input.email);
  const passwordMatches = user
    ? await deps.hasher.verify(user.passwordHash, input.password)
    : await deps.hasher.verifyAgainstDummy(input.password);
  if (!user || !passwordMatches) {
    await deps.throttle.recordLoginFailure(attempt);
    throw usersError('INVALID_CREDENTIALS');
  }
  // Only someone who knows the password learns that the account waits for verification.
  if (!user.emailVerifiedAt) throw usersError('EMAIL_NOT_VERIFIED');

  await deps.throttle.loginSucceeded(user.email);
  const now = new Date();
  if (deps.hasher.needsRehash(user.passwordHash)) {
    await updateUser(deps.db, user.id, { passwordHash: await deps.hasher.hash(input.password) }, now);
  }
  return openSession(deps, deps.db, user, now);
}
