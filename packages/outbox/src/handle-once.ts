import type { DomainEvent } from '@trendcast/events';
import { and, eq } from 'drizzle-orm';
import { inboxMessages } from './schema.js';
import type { Database, DbExecutor, Transaction } from './types.js';
import { recordInInbox } from './inbox-record.js';

export type HandleOutcome = 'handled' | 'duplicate';

/**
 * Runs `effect` at most once per (consumer, event id): the inbox row and the effect commit in one
 * transaction. A redelivered event finds the row and changes nothing; an effect that throws rolls
 * the row back too, so the retry handles the event afresh.
 *
 * Two deliveries racing each other are safe: the second insert waits on the first transaction's
 * unique key, then skips if it committed.
 */
export async function handleOnce(
  db: Database,
  consumer: string,
  event: Pick<DomainEvent, 'id'>,
  effect: (tx: Transaction) => Promise<void>,
): Promise<HandleOutcome> {
  return db.transaction(async (tx) => {
    const recorded = await recordInInbox(tx, consumer, [event.id]);
    if (recorded.length === 0) return 'duplicate';
    await effect(tx);
    return 'handled';
  });
}

/** Whether `consumer` has already handled the event. */
export async function wasHandled(db: DbExecutor, consumer: string, eventId: string): Promise<boolean> {
  const rows = await db
    .select({ eventId: inboxMessages.eventId })
    .from(inboxMessages)
    .where(and(eq(inboxMessages.consumer, consumer), eq(inboxMessages.eventId, eventId)))
    .limit(1);
  return rows.length > 0;
}
