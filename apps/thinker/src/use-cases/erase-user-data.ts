import type { DomainEvent } from '@trendcast/events';
import { handleOnce } from '@trendcast/outbox';
import { serviceName } from '../data/generation-outcomes.js';
import { deleteGenerationsOfUser } from '../data/generations.js';
import { recordErasure } from '../data/tombstones.js';
import { deleteTrendSearchesOfUser } from '../data/trend-searches.js';
import type { ThinkerTransaction } from '../db/client.js';
import type { ThinkerDeps } from './deps.js';

/**
 * users.user.deleted: erases the person's generations (with their drafts) and kept search
 * summaries, once per event (the inbox records it in the same transaction), then removes their
 * queued jobs. The tombstone recorded first refuses every later write for that user.
 */
export async function eraseUserData(
  deps: Pick<ThinkerDeps, 'db' | 'queue' | 'logger'>,
  event: DomainEvent<'users.user.deleted'>,
): Promise<{ outcome: 'handled' | 'duplicate'; generations: number; searches: number }> {
  const { userId } = event.data;
  let generationIds: string[] = [];
  let searches = 0;
  const outcome = await handleOnce(deps.db, serviceName, event, async (db) => {
    const tx = db as ThinkerTransaction;
    await recordErasure(tx, userId);
    generationIds = await deleteGenerationsOfUser(tx, userId);
    searches = await deleteTrendSearchesOfUser(tx, userId);
  });
  // After the commit: a job missed here finds its generation gone and stops.
  for (const id of generationIds) await deps.queue.remove(id).catch(() => undefined);
  return { outcome, generations: generationIds.length, searches };
}
