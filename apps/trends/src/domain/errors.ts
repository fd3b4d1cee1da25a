import { domainErrorFactory } from '@trendcast/service-kit';

/** Every error this service's rules end in on purpose; statuses are the edge's (routes/error-statuses.ts). */
const defaultMessages = {
  /** Unknown, or someone else's: the two are never told apart. */
  NOT_FOUND: 'Not found',
  /** A list cursor this service did not hand out (the message says so). */
  BAD_REQUEST: 'cursor is not one this API handed out',
  GOOGLE_UNAVAILABLE: 'Google Trends did not answer usefully',
  GOOGLE_BUSY: 'Google Trends is being asked too often right now; try again shortly',
} as const satisfies Record<string, string>;

export type TrendsErrorCode = keyof typeof defaultMessages;

export const trendsError = domainErrorFactory(defaultMessages);
