import type { ChannelKind } from '@trendcast/post-text';

/** What is sent to a network: the text, already validated against the channel's limit. */
export interface OutgoingPost {
  text: string;
  /** BCP 47 language of the text, when known (Mastodon's `language`). */
  language?: string;
}

/** Where the post now lives on the network. */
export interface PublishedPost {
  remoteId: string;
  url: string;
}

/** The account a channel's credentials act for (shown as the channel's `accountName`). */
export interface ChannelAccount {
  remoteId: string;
  /** `@user@instance` for Mastodon, `@handle` for the timeline. */
  accountName: string;
  displayName: string;
  url: string;
}

export interface ChannelLimits {
  maxCharacters: number;
  /** What a link counts, whatever its length. */
  linkWeight: number;
}

interface AdapterCommon {
  readonly kind: ChannelKind;
  /**
   * Publishes the post. Throws ChannelError (and nothing else) when it is not published:
   * its `kind` says whether and how to retry.
   */
  publish(post: OutgoingPost, idempotencyKey: string): Promise<PublishedPost>;
  /** Checks the credentials and names the account; ChannelError `auth_revoked` when they no longer work. */
  verify(): Promise<ChannelAccount>;
  /** The network's current limits for a post. */
  limits(): Promise<ChannelLimits>;
}

/**
 * A network that deduplicates by idempotency key: re-sending a post with the same key within the
 * window returns the post made the first time, so after `unknown_outcome` a retry is safe.
 */
export interface IdempotentChannelAdapter extends AdapterCommon {
  readonly supportsIdempotencyKey: true;
  /** How long the network remembers a key; a retry later than this could post twice. */
  readonly idempotencyWindowMs: number;
}

/**
 * A network without idempotency keys: after `unknown_outcome` the worker must ask it whether the
 * post exists (`findExisting`) before sending it again.
 */
export interface CheckingChannelAdapter extends AdapterCommon {
  readonly supportsIdempotencyKey: false;
  /** The post made with this key (or this text since `since`), or null when the network has none. */
  findExisting(post: OutgoingPost, idempotencyKey: string, since: Date): Promise<PublishedPost | null>;
}

/** One interface every network implements. */
export type ChannelAdapter = IdempotentChannelAdapter | CheckingChannelAdapter;
