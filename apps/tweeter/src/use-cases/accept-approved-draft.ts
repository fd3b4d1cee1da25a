import { createHash } from 'node:crypto';
import type { DomainEvent } from '@trendcast/events';
import { handleOnce } from '@trendcast/outbox';
import { DomainError } from '@trendcast/service-kit';
import { findChannel } from '../data/channels.js';
import { addFailedEvent, serviceName } from '../data/post-events.js';
import { insertPost } from '../data/posts.js';
import { isErased, lockUserWrites } from '../data/tombstones.js';
import type { PostRow } from '../db/schema.js';
import { checkPostText } from '../domain/post-text-check.js';
import type { TweeterDeps } from './deps.js';
import { queuePost } from './manage-posts.js';

export type DraftOutcome = 'scheduled' | 'refused' | 'duplicate' | 'erased';

/** A post id that is the same for every delivery of one approval (so even a refusal names one post): a name-based UUID. */
function postIdFor(draftId: string, userId: string): string {
  const hex = createHash('sha256').update(`tweeter.post:${userId}:${draftId}`).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16] ?? '8', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/**
 * thinker.draft.approved: the approved text becomes a post scheduled on the chosen channel, once
 * per draft (the same approval twice, or two events for one draft, make one post). A channel that
 * is not the user's, or one that needs reconnecting, or a text the channel cannot take, ends in
 * tweeter.post.failed with the reason. An erased user's approval is acknowledged without effect.
 */
export async function acceptApprovedDraft(deps: TweeterDeps, event: DomainEvent<'thinker.draft.approved'>): Promise<DraftOutcome> {
  const { draftId, userId, text, channelId, sentiment } = event.data;
  const now = deps.now();
  let outcome: DraftOutcome = 'duplicate';
  let created: PostRow | null = null;
  await handleOnce(deps.db, serviceName, event, async (tx) => {
    await lockUserWrites(tx, userId);
    if (await isErased(tx, userId)) {
      outcome = 'erased';
      return;
    }
    const channel = await findChannel(tx, channelId);
    const refuse = async (reason: string) => {
      outcome = 'refused';
      await addFailedEvent(tx, {
        postId: postIdFor(draftId, userId),
        userId,
        draftId,
        channel: channel?.kind ?? 'unknown',
        reason,
        attempts: 1,
        correlationId: event.correlationId,
      });
    };
    if (!channel || channel.userId !== userId) return refuse('the channel does not exist or is not this user’s');
    if (channel.status !== 'active') return refuse('the channel must be reconnected before it can publish');
    try {
      checkPostText(text, { maxCharacters: channel.maxCharacters, linkWeight: channel.linkWeight });
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'TEXT_TOO_LONG' || error.code === 'TEXT_EMPTY')) return refuse(error.message);
      throw error;
    }
    const publishAt = new Date(Math.max(new Date(event.data.publishAt).getTime(), now.getTime()));
    created = await insertPost(tx, {
      id: postIdFor(draftId, userId),
      userId,
      channelId,
      channelKind: channel.kind,
      text,
      status: 'scheduled',
      publishAt,
      draftId,
      sentimentLabel: sentiment?.label ?? null,
      sentimentScore: sentiment?.score ?? null,
      correlationId: event.correlationId,
      createdAt: now,
      updatedAt: now,
    });
    outcome = created ? 'scheduled' : 'duplicate';
  });
  if (created) await queuePost(deps, created);
  return outcome;
}
