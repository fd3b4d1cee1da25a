import type { DomainEvent } from '@trendcast/events';
import { markDraftPublished } from '../data/drafts.js';
import type { ThinkerDeps } from './deps.js';

/**
 * tweeter.post.published: the approved draft behind the post is published, with its URL. Idempotent
 * by state (only an approved draft of that user changes); a post without a draft is not ours.
 */
export async function recordPublication(deps: Pick<ThinkerDeps, 'db' | 'now'>, event: DomainEvent<'tweeter.post.published'>): Promise<boolean> {
  const { draftId, userId, url, publishedAt } = event.data;
  if (!draftId) return false;
  return markDraftPublished(deps.db, { userId, draftId, url, publishedAt: new Date(publishedAt), now: deps.now() });
}
