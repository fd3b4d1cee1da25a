import { HttpError } from '@trendcast/service-kit';

/** Every error this service answers with on purpose: a stable code, its status, a plain message. */
const catalogue = {
  EMAIL_TAKEN: [409, 'An account with this email already exists'],
  WEAK_PASSWORD: [400, 'The password does not meet the password policy'],
  INVALID_CREDENTIALS: [401, 'Email or password is incorrect'],
  EMAIL_NOT_VERIFIED: [403, 'Verify your email address before signing in'],
  TOO_MANY_ATTEMPTS: [429, 'Too many failed attempts; try again later'],
  /** A verification or reset token that is unknown, already used or replaced by a newer one. */
  TOKEN_INVALID: [400, 'The link is invalid or has already been used'],
  TOKEN_EXPIRED: [400, 'The link has expired; ask for a new one'],
  REFRESH_TOKEN_INVALID: [401, 'The refresh token is invalid or its session has ended'],
  REFRESH_TOKEN_EXPIRED: [401, 'The refresh token has expired; sign in again'],
  REFRESH_TOKEN_REUSED: [401, 'The refresh token was already used; every session of this sign-in has been ended'],
  INVALID_PASSWORD: [403, 'The current password is incorrect'],
  USER_NOT_FOUND: [404, 'User not found'],
  NOT_ADMIN: [403, 'Requires role admin'],
  LAST_ADMIN: [409, 'The last admin cannot lose the admin role'],
} as const satisfies Record<string, readonly [number, string]>;

export type UsersErrorCode = keyof typeof catalogue;

export function usersError(
  code: UsersErrorCode,
  o: { details?: unknown; headers?: Record<string, string> } = {},
): HttpError {
  const [status, message] = catalogue[code];
  return new HttpError(status, code, message, o.details, o.headers);
}

export function tooManyAttempts(retryAfterSeconds: number): HttpError {
  const seconds = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  return usersError('TOO_MANY_ATTEMPTS', { details: { retryAfterSeconds: Number(seconds) }, headers: { 'retry-after': seconds } });
}

/** The catalogue, for the README and for tests that check every code keeps its status. */
export const errorCatalogue: Readonly<Record<UsersErrorCode, readonly [number, string]>> = catalogue;
