import { domainErrorFactory } from '@trendcast/service-kit';

/** Every error this service's rules end in on purpose; statuses are the edge's (routes/error-statuses.ts). */
const defaultMessages = {
  /** Unknown, or someone else's: the two are never told apart. */
  NOT_FOUND: 'Not found',
  /** A list cursor this service did not hand out (the message says so). */
  BAD_REQUEST: 'cursor is not one this API handed out',
  GOOGLE_UNAVAILABLE: 'Google Trends did not answer usefully',
  GOOGLE_BUSY: 'Google Trends is being asked too often right now; try again shortly',
  /** A write from someone whose account was deleted (their access token may live on for minutes). */
  ACCOUNT_DELETED: 'This account has been deleted',
  /** Per-user caps (domain/user-quotas.ts): the Google gate is shared. */
  TOO_MANY_SEARCHES_IN_FLIGHT: 'Too many of your searches are queued or running; wait for one to finish',
  SEARCH_RATE_LIMITED: 'Too many searches this minute; try again shortly',
  TOO_MANY_WATCHES: 'Too many of your watches are active; pause or delete one first',
} as const satisfies Record<string, string>;

export type TrendsErrorCode = keyof typeof defaultMessages;

export const trendsError = domainErrorFactory(defaultMessages);
