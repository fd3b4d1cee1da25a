import { pageOf, type Page, type PagePosition } from '@trendcast/service-kit';
import { randomUUID } from 'node:crypto';
import { findChannel, findUsersChannel } from '../data/channels.js';
import { attemptsOf, findUsersPost, insertPost, listUsersPosts, lockUsersPost, updatePost as savePost } from '../data/posts.js';
import type { AttemptRow, ChannelRow, PostRow } from '../db/schema.js';
import { nextStatus, type PostStatus } from '../domain/post-state.js';
import { checkPostText } from '../domain/post-text-check.js';
import { tweeterError } from '../domain/errors.js';
import type { TweeterDeps } from './deps.js';
import { guardUserWrites } from './user-writes.js';

function limitsOf(channel: ChannelRow) {
  return { maxCharacters: channel.maxCharacters, linkWeight: channel.linkWeight };
}

/** Queues the post's job after the commit; if Redis is unreachable the reconciler queues it before its time. */
export async function queuePost(deps: Pick<TweeterDeps, 'queue' | 'logger'>, post: Pick<PostRow, 'id' | 'publishAt'>): Promise<void> {
  await deps.queue.enqueue(post.id, post.publishAt).catch((error: unknown) => {
    deps.logger.warn({ err: error, postId: post.id }, 'could not queue the post; the reconciler will');
  });
}

export async function createPost(
  deps: TweeterDeps,
  o: { userId: string; channelId: string; text: string; publishAt?: Date | undefined; correlationId: string },
): Promise<PostRow> {
  const now = deps.now();
  const channel = await findUsersChannel(deps.db, { userId: o.userId, channelId: o.channelId });
  if (!channel) throw tweeterError('NOT_FOUND', { message: 'No such channel' });
  if (channel.status !== 'active') throw tweeterError('CHANNEL_NEEDS_RECONNECTION');
  checkPostText(o.text, limitsOf(channel));
  const publishAt = o.publishAt && o.publishAt.getTime() > now.getTime() ? o.publishAt : now;
  const post = await deps.db.transaction(async (tx) => {
    await guardUserWrites(tx, o.userId);
    const created = await insertPost(tx, {
      id: randomUUID(),
      userId: o.userId,
      channelId: channel.id,
      channelKind: channel.kind,
      text: o.text,
      status: 'scheduled',
      publishAt,
      correlationId: o.correlationId,
      createdAt: now,
      updatedAt: now,
    });
    if (!created) throw new Error('a new post id collided');
    return created;
  });
  await queuePost(deps, post);
  return post;
}

export async function listPosts(
  deps: TweeterDeps,
  o: { userId: string; status?: PostStatus | undefined; channelId?: string | undefined; limit: number; after: PagePosition | undefined },
): Promise<Page<PostRow>> {
  const rows = await listUsersPosts(deps.db, o);
  return pageOf(rows, o.limit, (row) => ({ at: row.createdAt, id: row.id }));
}

export async function getPost(deps: TweeterDeps, o: { userId: string; postId: string }): Promise<{ post: PostRow; attempts: AttemptRow[] } | undefined> {
  const post = await findUsersPost(deps.db, o);
  if (!post) return undefined;
  return { post, attempts: await attemptsOf(deps.db, post.id) };
}

/** Edits the text or moves the time, while the post is scheduled (POST_NOT_EDITABLE after). */
export async function updatePost(
  deps: TweeterDeps,
  o: { userId: string; postId: string; text?: string | undefined; publishAt?: Date | undefined },
): Promise<PostRow | undefined> {
  const now = deps.now();
  const updated = await deps.db.transaction(async (tx) => {
    await guardUserWrites(tx, o.userId);
    const post = await lockUsersPost(tx, o);
    if (!post) return undefined;
    nextStatus(post, o.text === undefined ? 'reschedule' : 'edit');
    if (o.text !== undefined) {
      const channel = await findChannel(tx, post.channelId);
      if (!channel) return undefined;
      const text = o.text;
      checkPostText(text, limitsOf(channel));
    }
    const publishAt = o.publishAt ? (o.publishAt.getTime() > now.getTime() ? o.publishAt : now) : undefined;
    return savePost(tx, post.id, { ...(o.text !== undefined ? { text: o.text } : {}), ...(publishAt ? { publishAt } : {}), updatedAt: now });
  });
  if (updated && o.publishAt) {
    await deps.queue.reschedule(updated.id, updated.publishAt).catch((error: unknown) => {
      deps.logger.warn({ err: error, postId: updated.id }, 'could not move the job of a rescheduled post; the reconciler will');
    });
  }
  return updated;
}

/** Cancels a post that has not gone out: scheduled, or publishing between attempts with no outcome in doubt. */
export async function cancelPost(deps: TweeterDeps, o: { userId: string; postId: string }): Promise<PostRow | undefined> {
  const now = deps.now();
  const cancelled = await deps.db.transaction(async (tx) => {
    await guardUserWrites(tx, o.userId);
    const post = await lockUsersPost(tx, o);
    if (!post) return undefined;
    nextStatus({ status: post.status, attemptInFlight: post.claimedAt !== null, outcomeUnknown: post.unknownSince !== null }, 'cancel');
    return savePost(tx, post.id, { status: 'cancelled', claimedAt: null, nextAttemptAt: null, updatedAt: now });
  });
  if (cancelled) {
    deps.metrics.postsTotal.inc({ outcome: 'cancelled', channel_kind: cancelled.channelKind });
    // A job that runs anyway finds the post cancelled and does nothing.
    await deps.queue.remove(cancelled.id).catch(() => undefined);
  }
  return cancelled;
}
