import { domainErrorFactory } from '@trendcast/service-kit';

/** Every error this service's rules end in on purpose; statuses are the edge's (routes/error-statuses.ts). */
const defaultMessages = {
  /** Unknown, or someone else's: the two are never told apart. */
  NOT_FOUND: 'Not found',
  /** A list cursor this service did not hand out. */
  /** A write from someone whose account was deleted (their access token may live on for minutes). */
  ACCOUNT_DELETED: 'This account has been deleted',
  /** Per-user cap on generations queued or running. */
  TOO_MANY_GENERATIONS_IN_FLIGHT: 'Too many of your generations are queued or running; wait for one to finish',
  /** Editing, approving or rejecting a draft that is no longer a draft. */
  DRAFT_NOT_EDITABLE: 'Only a draft that is neither approved, published nor rejected can be changed',
  /** Approving a draft scored negative beyond the threshold without `override: true`. */
  NEGATIVE_SENTIMENT: 'This draft reads as negative; approve it with "override": true if that is intended',
  /** An edited text longer than its channel allows. */
  DRAFT_TOO_LONG: 'The text is longer than its channel allows',
  /** The sentiment scorer could not score the texts. */
  SENTIMENT_UNAVAILABLE: 'The texts could not be scored for sentiment right now; try again shortly',
} as const satisfies Record<string, string>;

export type ThinkerErrorCode = keyof typeof defaultMessages;

export const thinkerError = domainErrorFactory(defaultMessages);
