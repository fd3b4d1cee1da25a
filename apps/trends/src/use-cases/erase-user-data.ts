import type { DomainEvent } from '@trendcast/events';
import { handleOnce } from '@trendcast/outbox';
import { serviceName } from '../data/search-outcomes.js';
import { deleteSearchesOfUser } from '../data/searches.js';
import { recordErasure } from '../data/tombstones.js';
import { deleteWatchesOfUser } from '../data/watches.js';
import type { TrendsDeps } from './deps.js';

/**
 * users.user.deleted: erases the person's searches (with their results) and watches, once per event
 * (the inbox records the event in the same transaction), then removes the watches' schedulers.
 * The tombstone recorded first refuses every later write for that user (their access token lives
 * on for minutes, and jobs may still name them).
 */
export async function eraseUserData(
  deps: Pick<TrendsDeps, 'db' | 'queue' | 'logger'>,
  event: DomainEvent<'users.user.deleted'>,
): Promise<{ outcome: 'handled' | 'duplicate'; searches: number; watches: number }> {
  const { userId } = event.data;
  let watchIds: string[] = [];
  let searchCount = 0;
  const outcome = await handleOnce(deps.db, serviceName, event, async (tx) => {
    // The tombstone first: under the user's lock, so a racing write either commits before (and is
    // erased below) or sees it afterwards.
    await recordErasure(tx, userId);
    watchIds = await deleteWatchesOfUser(tx, userId);
    searchCount = await deleteSearchesOfUser(tx, userId);
  });
  // After the commit: Redis holds no personal data, and a scheduler missed here removes itself on its next run.
  for (const watchId of watchIds) {
    await deps.queue.removeWatchScheduler(watchId).catch((error: unknown) => {
      deps.logger.warn({ err: error, watchId }, 'could not remove the scheduler of an erased watch');
    });
  }
  return { outcome, searches: searchCount, watches: watchIds.length };
}
