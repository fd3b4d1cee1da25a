import type { DomainErrorStatuses } from '@trendcast/service-kit';
import type { TrendsErrorCode } from '../domain/errors.js';

/** How each of this service's domain errors answers over HTTP. */
export const trendsErrorStatuses: DomainErrorStatuses<TrendsErrorCode> = {
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  GOOGLE_UNAVAILABLE: 502,
  GOOGLE_BUSY: 503,
};
