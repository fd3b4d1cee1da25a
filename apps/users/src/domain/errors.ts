import { domainErrorFactory } from '@trendcast/service-kit';

/** Every error this service's rules end in on purpose: a stable code and a plain message. Statuses are the edge's (routes/error-statuses.ts). */
const messages = {
  EMAIL_TAKEN: 'An account with this email already exists',
  WEAK_PASSWORD: 'The password does not meet the password policy',
  INVALID_CREDENTIALS: 'Email or password is incorrect',
  EMAIL_NOT_VERIFIED: 'Verify your email address before signing in',
  TOO_MANY_ATTEMPTS: 'Too many failed attempts; try again later',
  /** A verification or reset token that is unknown, already used or replaced by a newer one. */
  TOKEN_INVALID: 'The link is invalid or has already been used',
  TOKEN_EXPIRED: 'The link has expired; ask for a new one',
  REFRESH_TOKEN_INVALID: 'The refresh token is invalid or its session has ended',
  REFRESH_TOKEN_EXPIRED: 'The refresh token has expired; sign in again',
  REFRESH_TOKEN_REUSED: 'The refresh token was already used; every session of this sign-in has been ended',
  INVALID_PASSWORD: 'The current password is incorrect',
  USER_NOT_FOUND: 'User not found',
  NOT_ADMIN: 'Requires role admin',
  LAST_ADMIN: 'The last admin cannot lose the admin role',
} as const satisfies Record<string, string>;

export type UsersErrorCode = keyof typeof messages;
export const usersErrorCodes = Object.keys(messages) as UsersErrorCode[];

export const usersError = domainErrorFactory(messages);

export function tooManyAttempts(retryAfterSeconds: number) {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return usersError('TOO_MANY_ATTEMPTS', { details: { retryAfterSeconds: seconds }, retryAfterSeconds: seconds });
}
