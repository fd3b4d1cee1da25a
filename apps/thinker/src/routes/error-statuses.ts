import type { DomainErrorStatuses } from '@trendcast/service-kit';
import type { ThinkerErrorCode } from '../domain/errors.js';

/** How each of this service's domain errors answers over HTTP. */
export const thinkerErrorStatuses: DomainErrorStatuses<ThinkerErrorCode> = {
  NOT_FOUND: 404,
  ACCOUNT_DELETED: 403,
  TOO_MANY_GENERATIONS_IN_FLIGHT: 429,
  DRAFT_NOT_EDITABLE: 409,
  NEGATIVE_SENTIMENT: 409,
  DRAFT_TOO_LONG: 422,
  SENTIMENT_UNAVAILABLE: 503,
};
