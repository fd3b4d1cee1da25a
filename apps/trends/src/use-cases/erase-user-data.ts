import type { DomainEvent } from '@trendcast/events';
import { handleOnce } from '@trendcast/outbox';
import { eq } from 'drizzle-orm';
import { recordErasure } from '../data/tombstones.js';
import { searches, watches } from '../db/schema.js';
import type { TrendsDeps } from './deps.js';
import { serviceName } from './search-outcomes.js';

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
    await recordErasure(tx, userId);
    const erasedWatches = await tx.delete(watches).where(eq(watches.userId, userId)).returning({ id: watches.id });
    const erasedSearches = await tx.delete(searches).where(eq(searches.userId, userId)).returning({ id: searches.id });
    watchIds = erasedWatches.map((watch) => watch.id);
    searchCount = erasedSearches.length;
  });
  // After the commit: Redis holds no personal data, and a scheduler missed here removes itself on its next run.
  for (const watchId of watchIds) {
    await deps.queue.removeWatchScheduler(watchId).catch((error: unknown) => {
      deps.logger.warn({ err: error, watchId }, 'could not remove the scheduler of an erased watch');
    });
  }
  return { outcome, searches: searchCount, watches: watchIds.length };
}
