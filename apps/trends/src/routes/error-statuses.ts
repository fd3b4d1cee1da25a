import type { DomainErrorStatuses } from '@trendcast/service-kit';
import type { TrendsErrorCode } from '../domain/errors.js';

/** How each of this service's domain errors answers over HTTP. */
export const trendsErrorStatuses: DomainErrorStatuses<TrendsErrorCode> = {
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  GOOGLE_UNAVAILABLE: 502,
  GOOGLE_BUSY: 503,
  ACCOUNT_DELETED: 403,
  TOO_MANY_SEARCHES_IN_FLIGHT: 429,
  SEARCH_RATE_LIMITED: 429,
  TOO_MANY_WATCHES: 429,
};
