import type { UserRow } from '../db/schema.js';
import { tooManyAttempts, usersError } from '../domain/errors.js';
import type { RequestOrigin, UsersDeps } from './deps.js';

/**
 * Asks a signed-in user for their password again before a sensitive change. Failures count
 * against the same throttle as sign-ins, so a stolen access token cannot guess the password.
 */
export async function reauthenticate(deps: UsersDeps, user: UserRow, password: string, origin: RequestOrigin): Promise<void> {
  const attempt = await deps.throttle.reservePasswordCheck({ email: user.email, ip: origin.ip });
  if (!attempt.granted) throw tooManyAttempts(attempt.retryAfterSeconds);
  if (!(await deps.hasher.verify(user.passwordHash, password))) throw usersError('INVALID_PASSWORD');
  await attempt.release();
}
