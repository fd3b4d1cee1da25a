import type { DomainErrorStatuses } from '@trendcast/service-kit';
import type { UsersErrorCode } from '../domain/errors.js';

/** How each of this service's domain errors answers over HTTP; a code always comes with the same status. */
export const usersErrorStatuses: DomainErrorStatuses<UsersErrorCode> = {
  EMAIL_TAKEN: 409,
  WEAK_PASSWORD: 400,
  INVALID_CREDENTIALS: 401,
  EMAIL_NOT_VERIFIED: 403,
  TOO_MANY_ATTEMPTS: 429,
  TOKEN_INVALID: 400,
  TOKEN_EXPIRED: 400,
  REFRESH_TOKEN_INVALID: 401,
  REFRESH_TOKEN_EXPIRED: 401,
  REFRESH_TOKEN_REUSED: 401,
  INVALID_PASSWORD: 403,
  USER_NOT_FOUND: 404,
  NOT_ADMIN: 403,
  LAST_ADMIN: 409,
};
