import type { DomainErrorStatuses } from '@trendcast/service-kit';
import type { MonitorErrorCode } from '../domain/errors.js';

export const monitorErrorStatuses: DomainErrorStatuses<MonitorErrorCode> = {
  NOT_ADMIN: 403,
  UNKNOWN_QUEUE: 404,
  UNKNOWN_SERVICE: 404,
  BROKER_UNAVAILABLE: 503,
  SESSIONS_UNAVAILABLE: 503,
};
