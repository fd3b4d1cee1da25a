import { createEvent } from '@trendcast/events';
import { addToOutbox } from '@trendcast/outbox';
import type { TweeterExecutor } from '../db/client.js';
import type { ChannelRow, PostRow } from '../db/schema.js';

export const serviceName = 'tweeter';

function shorten(text: string, max = 1000): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** tweeter.post.published, in the transaction that marks the post published. */
export async function addPublishedEvent(tx: TweeterExecutor, post: PostRow): Promise<void> {
  if (!post.url || !post.publishedAt) throw new Error('a published post has a URL and a time');
  await addToOutbox(
    tx,
    createEvent(
      'tweeter.post.published',
      {
        postId: post.id,
        userId: post.userId,
        ...(post.draftId ? { draftId: post.draftId } : {}),
        channel: post.channelKind,
        url: post.url,
        publishedAt: post.publishedAt.toISOString(),
      },
      { source: serviceName, correlationId: post.correlationId },
    ),
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
