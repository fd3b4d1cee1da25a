import { createEvent, type DomainEvent } from '@trendcast/events';
import { addToOutbox } from '@trendcast/outbox';
import type { TweeterExecutor } from '../db/client.js';
import type { ChannelRow, PostRow } from '../db/schema.js';

export const serviceName = 'tweeter';

function shorten(text: string, max = 1000): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** tweeter.post.published for the post, published at `url` at `publishedAt` (recorded with the state change: see markPublished). */
export function publishedEvent(post: PostRow, o: { url: string; publishedAt: Date }): DomainEvent<'tweeter.post.published'> {
  return createEvent(
    'tweeter.post.published',
    {
      postId: post.id,
      userId: post.userId,
      ...(post.draftId ? { draftId: post.draftId } : {}),
      channel: post.channelKind,
      url: o.url,
      publishedAt: o.publishedAt.toISOString(),
    },
    { source: serviceName, correlationId: post.correlationId },
  );
}

/** tweeter.post.failed, in the transaction that marks the post failed (or refuses to create it). */
export async function addFailedEvent(
  tx: TweeterExecutor,
  failed: { postId: string; userId: string; draftId?: string | null; channel: string; reason: string; attempts: number; correlationId: string },
): Promise<void> {
  await addToOutbox(
    tx,
    createEvent(
      'tweeter.post.failed',
      {
        postId: failed.postId,
        userId: failed.userId,
        ...(failed.draftId ? { draftId: failed.draftId } : {}),
        channel: failed.channel,
        reason: shorten(failed.reason),
        attempts: Math.max(1, failed.attempts),
      },
      { source: serviceName, correlationId: failed.correlationId },
    ),
  );
}

/** tweeter.channel.reconnection_needed: once per loss (the caller adds it only when the channel just changed). */
export async function addReconnectionEvent(tx: TweeterExecutor, channel: ChannelRow, reason: string, correlationId: string): Promise<void> {
  await addToOutbox(
    tx,
    createEvent(
      'tweeter.channel.reconnection_needed',
      { channelId: channel.id, userId: channel.userId, channelName: channel.name.slice(0, 100), kind: channel.kind, reason: shorten(reason) },
      { source: serviceName, correlationId },
    ),
  );
}
