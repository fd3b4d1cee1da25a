import { markNeedsReconnection, pauseChannel } from '../data/channels.js';
import { addFailedEvent, addReconnectionEvent, publishedEvent } from '../data/post-events.js';
import { claimPost, claimPostWithinLimit, failUnclaimedPost, finishAttempts, markPublished, postWithChannel, updateHeldPost } from '../data/posts.js';
import type { ChannelRow, PostRow } from '../db/schema.js';
import type { ChannelAdapter, PublishedPost } from '../domain/channel-adapter.js';
import { attemptOutcomeOf, ChannelError, isChannelError } from '../domain/channel-error.js';
import { isFinal } from '../domain/post-state.js';
import { decideRetry } from '../domain/retry-policy.js';
import { adapterFor } from './channel-adapters.js';
import type { TweeterDeps } from './deps.js';

export type PublishResult = { outcome: 'published' | 'failed' | 'gone' } | { outcome: 'wait'; until: Date; why: 'not_due' | 'held' | 'channel_paused' | 'channel_busy' | 'retry' };

const gone = { outcome: 'gone' } as const;

function later(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

/**
 * One publish step for a post whose job fired. PostgreSQL decides: the post is claimed with a
 * conditional UPDATE (scheduled and due, or between retries and due, or held by a worker that died),
 * so it can never be sent by two workers, and never again once published. The network gets the
 * post id as its idempotency key, so re-sending after a crash or a lost answer cannot post twice
 * (an adapter without keys is asked whether it has the post first). Published → the post, its
 * attempt and tweeter.post.published commit together.
 */
export async function publishPost(deps: TweeterDeps, o: { postId: string }): Promise<PublishResult> {
  const now = deps.now();
  const found = await postWithChannel(deps.db, o.postId);
  if (!found || isFinal(found.post.status)) return gone;
  const { post, channel } = found;
  const { leaseMs } = deps.settings;
  const staleBefore = later(now, -leaseMs);

  if (post.status === 'scheduled' && post.publishAt > now) return { outcome: 'wait', until: post.publishAt, why: 'not_due' };
  if (post.status === 'publishing') {
    if (post.claimedAt && post.claimedAt > staleBefore) return { outcome: 'wait', until: later(post.claimedAt, leaseMs + 10), why: 'held' };
    if (!post.claimedAt && post.nextAttemptAt && post.nextAttemptAt > now) return { outcome: 'wait', until: post.nextAttemptAt, why: 'retry' };
  }
  if (channel.status !== 'active') {
    return failBeforeAttempt(deps, post, channel, 'the channel must be reconnected before it can publish', now);
  }
  if (channel.pausedUntil && channel.pausedUntil > now) {
    // The network's rate limit is the account's: every post of the channel waits, spread a little.
    return { outcome: 'wait', until: later(channel.pausedUntil, Math.round(Math.random() * deps.settings.retry.rateLimitJitterMs)), why: 'channel_paused' };
  }

  // Networks get a bounded number of attempts per account at once; the timeline is our own database.
  const claim =
    channel.kind === 'timeline'
      ? await claimPost(deps.db, post.id, now, staleBefore)
      : await claimPostWithinLimit(deps.db, { postId: post.id, channelId: channel.id, now, staleBefore, limit: deps.settings.channelConcurrency });
  if (claim === 'busy') return { outcome: 'wait', until: later(now, 50 + Math.round(Math.random() * 200)), why: 'channel_busy' };
  if (!claim) return gone; // changed under us (cancelled, rescheduled, taken): its own job or the reconciler carries on.

  let adapter: ChannelAdapter | undefined;
  let published: PublishedPost;
  try {
    adapter = adapterFor(deps, channel);
    published = await send(adapter, claim);
  } catch (error) {
    const failure = isChannelError(error) ? error : new ChannelError('unknown_outcome', 'the publish step failed unexpectedly', { cause: error });
    if (!isChannelError(error)) deps.logger.error({ err: error, postId: claim.id }, 'unexpected error while publishing');
    return recordFailure(deps, { post: claim, channel, adapter, error: failure, startedAt: now });
  }
  return recordPublished(deps, claim, published);
}

async function send(adapter: ChannelAdapter, post: PostRow): Promise<PublishedPost> {
  const outgoing = { text: post.text };
  if (!adapter.supportsIdempotencyKey && post.unknownSince) {
    // An earlier attempt may have made the post: look before sending it again.
    const existing = await adapter.findExisting(outgoing, post.id, post.unknownSince);
    if (existing) return existing;
  }
  return adapter.publish(outgoing, post.id);
}

async function recordPublished(deps: TweeterDeps, post: PostRow, published: PublishedPost): Promise<PublishResult> {
  const now = deps.now();
  const event = publishedEvent(post, { url: published.url, publishedAt: now });
  const done = await markPublished(deps.db, { postId: post.id, attempt: post.attemptCount, url: published.url, remoteId: published.remoteId, now }, event);
  if (!done) return gone;
  deps.metrics.postsTotal.inc({ outcome: 'published', channel_kind: post.channelKind });
  return { outcome: 'published' };
}

async function recordFailure(
  deps: TweeterDeps,
  o: { post: PostRow; channel: ChannelRow; adapter: ChannelAdapter | undefined; error: ChannelError; startedAt: Date },
): Promise<PublishResult> {
  const { post, channel, error } = o;
  const now = deps.now();
  const rateLimited = post.rateLimitedCount + (error.kind === 'rate_limited' ? 1 : 0);
  const unknownSince = post.unknownSince ?? (error.kind === 'unknown_outcome' ? o.startedAt : undefined);
  const traits = o.adapter
    ? { supportsIdempotencyKey: o.adapter.supportsIdempotencyKey, ...(o.adapter.supportsIdempotencyKey ? { idempotencyWindowMs: o.adapter.idempotencyWindowMs } : {}) }
    : { supportsIdempotencyKey: false };
  const decision = decideRetry(
    { error, attempts: post.attemptCount, rateLimitedAttempts: rateLimited, now, ...(unknownSince ? { unknownSince } : {}) },
    traits,
    deps.settings.retry,
  );
  const held = { postId: post.id, attempt: post.attemptCount };
  const attempt = { number: post.attemptCount, outcome: attemptOutcomeOf(error.kind), error: error.reason, now };

  if (decision.action === 'retry') {
    await deps.db.transaction(async (tx) => {
      const row = await updateHeldPost(tx, held, { claimedAt: null, nextAttemptAt: decision.at, rateLimitedCount: rateLimited, unknownSince: unknownSince ?? null, updatedAt: now });
      if (!row) return;
      await finishAttempts(tx, post.id, attempt);
      if (error.kind === 'rate_limited') await pauseChannel(tx, channel.id, error.resetAt && error.resetAt > now ? error.resetAt : decision.at);
    });
    deps.logger.info({ postId: post.id, kind: error.kind, retryAt: decision.at.toISOString() }, 'publish attempt failed; retrying');
    return { outcome: 'wait', until: decision.at, why: 'retry' };
  }

  const failed = await deps.db.transaction(async (tx) => {
    const row = await updateHeldPost(tx, held, { status: 'failed', failureReason: decision.reason, claimedAt: null, nextAttemptAt: null, rateLimitedCount: rateLimited, updatedAt: now });
    if (!row) return false;
    await finishAttempts(tx, post.id, attempt);
    await addFailedEvent(tx, { postId: post.id, userId: post.userId, draftId: post.draftId, channel: post.channelKind, reason: decision.reason, attempts: post.attemptCount, correlationId: post.correlationId });
    if (decision.channelNeedsReconnection && (await markNeedsReconnection(tx, channel.id, now))) {
      await addReconnectionEvent(tx, channel, error.reason, post.correlationId);
    }
    return true;
  });
  if (!failed) return gone;
  deps.logger.warn({ postId: post.id, kind: error.kind, reason: decision.reason }, 'post failed');
  deps.metrics.postsTotal.inc({ outcome: 'failed', channel_kind: post.channelKind });
  return { outcome: 'failed' };
}

async function failBeforeAttempt(deps: TweeterDeps, post: PostRow, channel: ChannelRow, reason: string, now: Date): Promise<PublishResult> {
  const failed = await deps.db.transaction(async (tx) => {
    const row = await failUnclaimedPost(tx, post.id, reason, now);
    if (!row) return false;
    await addFailedEvent(tx, { postId: post.id, userId: post.userId, draftId: post.draftId, channel: channel.kind, reason, attempts: Math.max(1, post.attemptCount), correlationId: post.correlationId });
    return true;
  });
  if (!failed) return gone;
  deps.metrics.postsTotal.inc({ outcome: 'failed', channel_kind: post.channelKind });
  return { outcome: 'failed' };
}
