import { domainErrorFactory, type DomainError } from '@trendcast/service-kit';

/** Every error this service's rules end in on purpose, domain rules included; statuses are the edge's (routes/error-statuses.ts). */
const defaultMessages = {
  /** Unknown, or someone else's: the two are never told apart. */
  NOT_FOUND: 'Not found',
  BAD_REQUEST: 'Bad request',
  /** A write from someone whose account was deleted (their access token may live on for minutes). */
  ACCOUNT_DELETED: 'This account has been deleted',
  HANDLE_TAKEN: 'This timeline handle is taken',
  INVALID_HANDLE: 'a handle has 3 to 30 characters: lower-case letters, digits and underscores',
  CHANNEL_NEEDS_RECONNECTION: 'This channel must be reconnected before it can publish',
  /** The instance address is private, loopback, link-local or not https. */
  INSTANCE_NOT_ALLOWED: 'This server address is not allowed',
  INSTANCE_UNREACHABLE: 'The server did not answer usefully',
  /** It answered, but not as a Mastodon API at this address (404, a redirect elsewhere). */
  INSTANCE_REFUSED: 'The server refused the request',
  CREDENTIALS_REJECTED: 'The network refused these credentials',
  TEXT_TOO_LONG: 'The text is too long for this channel',
  TEXT_EMPTY: 'The text is empty',
  POST_NOT_EDITABLE: 'A post can be changed only while it is scheduled',
  POST_STATE_CONFLICT: 'The post cannot change that way now',
  OAUTH_FAILED: 'Connecting the account failed',
} as const satisfies Record<string, string>;

export type TweeterErrorCode = keyof typeof defaultMessages;

export const tweeterError = domainErrorFactory(defaultMessages);

export type TweeterError = DomainError<TweeterErrorCode>;
