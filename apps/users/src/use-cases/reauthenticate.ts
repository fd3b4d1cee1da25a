import type { UserRow } from '../db/schema.js';
import { tooManyAttempts, usersError } from '../domain/errors.js';
import type { RequestOrigin, UsersDeps } from './deps.js';

/**
 * Asks a signed-in user for their password again before a sensitive change. Failures count
 * against the same throttle as sign-ins, so a stolen access token cannot guess the password.
 */
export async function reauthenticate(deps: UsersDeps, user: UserRow, password: string, origin: RequestOrigin): Promise<void> {
  const attempt = { email: user.email, ip: origin.ip };
  const wait = await deps.throttle.loginRetryAfter(attempt);
  if (wait) throw tooManyAttempts(wait);
  if (!(await deps.hasher.verify(user.passwordHash, password))) {
    await deps.throttle.recordLoginFailure(attempt);
    throw usersError('INVALID_PASSWORD');
  }
}
