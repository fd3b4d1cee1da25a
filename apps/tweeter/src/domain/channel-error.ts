/**
 * How a call to a network failed, which decides what happens next:
 * - `rate_limited`: the network refuses for now; wait until `resetAt` (its own header said so).
 * - `temporary`: a fault that another try may not meet (5xx, connection refused); retry with backoff.
 * - `auth_revoked`: the credentials no longer work; the channel needs reconnecting, no retry.
 * - `rejected`: the network refused this post for a reason of its own (`reason`); no retry.
 * - `unknown_outcome`: the request left and no answer came back; the post may exist. Never re-sent
 *   blindly: only with the same idempotency key, or after checking the network for it.
 */
export const channelErrorKinds = ['rate_limited', 'temporary', 'auth_revoked', 'rejected', 'unknown_outcome'] as const;
export type ChannelErrorKind = (typeof channelErrorKinds)[number];

export interface ChannelErrorDetails {
  /** The HTTP status the network answered, when it answered. */
  status?: number;
  /** For rate_limited: when the network's window resets (from its own header). */
  resetAt?: Date;
  /** What the network said, kept short; never holds credentials. */
  networkMessage?: string;
  cause?: unknown;
}

export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  readonly status?: number;
  readonly resetAt?: Date;
  readonly networkMessage?: string;

  constructor(
    readonly kind: ChannelErrorKind,
    /** A sentence a person can read (shown as the post's failure reason). */
    readonly reason: string,
    details: ChannelErrorDetails = {},
  ) {
    super(reason, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.status !== undefined) this.status = details.status;
    if (details.resetAt !== undefined) this.resetAt = details.resetAt;
    if (details.networkMessage !== undefined) this.networkMessage = details.networkMessage;
  }
}

export function isChannelError(error: unknown): error is ChannelError {
  return error instanceof ChannelError;
}

/** The attempt outcome recorded on a post (the API names unknown_outcome `unknown`). */
export type AttemptOutcome = 'published' | 'rate_limited' | 'temporary' | 'auth_revoked' | 'rejected' | 'unknown';

export function attemptOutcomeOf(kind: ChannelErrorKind): AttemptOutcome {
  return kind === 'unknown_outcome' ? 'unknown' : kind;
}
