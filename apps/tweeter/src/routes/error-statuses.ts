import type { DomainErrorStatuses } from '@trendcast/service-kit';
import type { TweeterErrorCode } from '../domain/errors.js';

/** How each of this service's domain errors answers over HTTP. */
export const tweeterErrorStatuses: DomainErrorStatuses<TweeterErrorCode> = {
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  ACCOUNT_DELETED: 403,
  HANDLE_TAKEN: 409,
  INVALID_HANDLE: 400,
  CHANNEL_NEEDS_RECONNECTION: 409,
  INSTANCE_NOT_ALLOWED: 422,
  INSTANCE_UNREACHABLE: 502,
  INSTANCE_REFUSED: 422,
  CREDENTIALS_REJECTED: 422,
  TEXT_TOO_LONG: 422,
  TEXT_EMPTY: 422,
  POST_NOT_EDITABLE: 409,
  POST_STATE_CONFLICT: 409,
  OAUTH_FAILED: 400,
};
