import type { DomainEvent } from '@trendcast/events';
import { sql } from 'drizzle-orm';
import { outboxChannel, outboxMessages } from './schema.js';
import type { DbExecutor } from './types.js';

/**
 * Records events to publish, inside the transaction that makes the state change they describe:
 * both commit or neither does. The relay publishes them after the commit.
 *
 * Unless `notify` is false, the same statement queues a NOTIFY that PostgreSQL delivers only on
 * commit, so a listening relay wakes at once instead of at its next poll.
 */
export async function addToOutbox(
  tx: DbExecutor,
  events: DomainEvent | readonly DomainEvent[],
  options: { notify?: boolean } = {},
): Promise<void> {
  const list = Array.isArray(events) ? (events as readonly DomainEvent[]) : [events as DomainEvent];
  if (list.length === 0) return;
  const insert = tx.insert(outboxMessages).values(list.map((event) => ({ eventId: event.id, type: event.type, payload: event })));
  if (options.notify === false) {
    await insert;
    return;
  }
  // One round trip for both: the insert as a CTE, the notify as the statement that runs it.
  await tx.execute(sql`with added as (${insert.getSQL()} returning 1) select pg_notify(${outboxChannel}, '')`);
}
