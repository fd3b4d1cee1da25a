import type { DomainEvent } from '@trendcast/events';
import { recordInInbox } from './inbox-record.js';
import type { Database, Transaction } from './types.js';

export interface BatchOutcome<E> {
  /** The events this call applied, in the order given. */
  handled: E[];
  /** The events some earlier transaction had already handled (or that appeared twice in the batch). */
  duplicates: E[];
}

/**
 * `handleOnce` for several events in ONE transaction: one inbox insert records them all, `effect`
 * runs with the ones not handled before, and the inbox rows and the effect commit together. It
 * spares a transaction (begin, inbox insert, effect, commit) per event, which is most of what a
 * consumer costs at high rates.
 *
 * All or nothing: when `effect` throws, no event of the batch counts as handled (the caller may then
 * handle them one at a time to find the one that fails; EventConsumer's batch handlers do).
 * Ids are inserted in sorted order, so two batches racing over the same events wait on each other
 * instead of deadlocking; the later one skips what the earlier committed.
 */
export async function handleBatchOnce<E extends Pick<DomainEvent, 'id'>>(
  db: Database,
  consumer: string,
  events: readonly E[],
  effect: (tx: Transaction, fresh: E[]) => Promise<void>,
): Promise<BatchOutcome<E>> {
  if (events.length === 0) return { handled: [], duplicates: [] };
  // PostgreSQL hands uuids back in lower case.
  const ids = [...new Set(events.map((event) => event.id.toLowerCase()))].sort();
  return db.transaction(async (tx) => {
    const recorded = await recordInInbox(tx, consumer, ids);
    const fresh = new Set(recorded);
    const handled: E[] = [];
    const duplicates: E[] = [];
    for (const event of events) {
      // delete: a second copy of an id in the same batch is a duplicate of the first.
      if (fresh.delete(event.id.toLowerCase())) handled.push(event);
      else duplicates.push(event);
    }
    if (handled.length > 0) await effect(tx, handled);
    return { handled, duplicates };
  });
}
