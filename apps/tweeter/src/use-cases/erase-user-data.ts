import type { DomainEvent } from '@trendcast/events';
import { handleOnce } from '@trendcast/outbox';
import { deleteChannelsOfUser } from '../data/channels.js';
import { serviceName } from '../data/post-events.js';
import { pendingPostIdsOfUser } from '../data/posts.js';
import { recordErasure } from '../data/tombstones.js';
import type { TweeterDeps } from './deps.js';

/**
 * users.user.deleted: erases the person's channels (credentials included) and posts, once per event
 * (the inbox records it in the same transaction), then removes the jobs of their pending posts.
 * The tombstone recorded first refuses every later write for that user (a still-valid token, a late
 * approval, a job that fires finds no post).
 */
export async function eraseUserData(
  deps: Pick<TweeterDeps, 'db' | 'queue' | 'logger'>,
  event: DomainEvent<'users.user.deleted'>,
): Promise<{ outcome: 'handled' | 'duplicate'; channels: number }> {
  const { userId } = event.data;
  let pending: string[] = [];
  let channelCount = 0;
  const outcome = await handleOnce(deps.db, serviceName, event, async (tx) => {
    await recordErasure(tx, userId);
    pending = await pendingPostIdsOfUser(tx, userId);
    // Posts and their attempts go with their channels.
    channelCount = await deleteChannelsOfUser(tx, userId);
  });
  for (const postId of pending) {
    await deps.queue.remove(postId).catch((error: unknown) => deps.logger.warn({ err: error, postId }, 'could not remove the job of an erased post'));
  }
  return { outcome, channels: channelCount };
}
