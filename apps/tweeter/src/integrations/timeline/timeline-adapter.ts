import type { ChannelAccount, ChannelLimits, CheckingChannelAdapter, OutgoingPost, PublishedPost } from '../../domain/channel-adapter.js';
import { timelineLimits } from '../../domain/timeline-rules.js';

export interface TimelineAdapterOptions {
  handle: string;
  /** Where people read Trendcast (PUBLIC_BASE_URL): a post's URL is `<it>/timeline/<handle>#<post id>`. */
  publicBaseUrl: string;
  /** Whether the post with this id is on the timeline already. */
  isPublished(postId: string): Promise<boolean>;
}

/** The public URL of a timeline post. */
export function timelinePostUrl(publicBaseUrl: string, handle: string, postId: string): string {
  return new URL(`/timeline/${encodeURIComponent(handle)}#${postId}`, publicBaseUrl).toString();
}

/**
 * Trendcast's own public timeline. "Sending" a post is the publish step marking it published (in
 * the same transaction as its event), so publish() only names where it will live. It has no
 * idempotency keys: after an attempt whose outcome is unknown the worker asks findExisting first.
 */
export class TimelineAdapter implements CheckingChannelAdapter {
  readonly kind = 'timeline' as const;
  readonly supportsIdempotencyKey = false as const;

  constructor(private readonly options: TimelineAdapterOptions) {}

  async publish(_post: OutgoingPost, idempotencyKey: string): Promise<PublishedPost> {
    return { remoteId: idempotencyKey, url: timelinePostUrl(this.options.publicBaseUrl, this.options.handle, idempotencyKey) };
  }

  async verify(): Promise<ChannelAccount> {
    return { remoteId: this.options.handle, accountName: `@${this.options.handle}`, displayName: this.options.handle, url: timelinePostUrl(this.options.publicBaseUrl, this.options.handle, '').replace(/#$/, '') };
  }

  async limits(): Promise<ChannelLimits> {
    return timelineLimits;
  }

  async findExisting(_post: OutgoingPost, idempotencyKey: string): Promise<PublishedPost | null> {
    return (await this.options.isPublished(idempotencyKey)) ? this.publish(_post, idempotencyKey) : null;
  }
}
