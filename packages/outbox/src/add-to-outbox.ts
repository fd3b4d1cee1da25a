import type { DomainEvent } from '@trendcast/events';
import { sql } from 'drizzle-orm';
import { outboxChannel, outboxMessages } from './schema.js';
import type { DbExecutor } from './types.js';

/**
 * A NOTIFY makes PostgreSQL serialize the commits of notifying transactions (it holds a database-wide
 * lock through each commit), so notifying from every transaction halves write throughput under load.
 * One notify per window per process is enough to wake the relay, which then keeps looking for a while
 * (see OutboxRelay's linger) and so also finds the rows whose transactions did not notify.
 */
export const notifyCoalesceMs = 5;
let lastNotifyAt = Number.NEGATIVE_INFINITY;

/**
 * Records events to publish, inside the transaction that makes the state change they describe:
 * both commit or neither does. The relay publishes them after the commit.
 *
 * Unless `notify` is false, the same statement queues a NOTIFY (at most one per `notifyCoalesceMs`
 * in this process) that PostgreSQL delivers only on commit, so a listening relay wakes at once
 * instead of at its next poll.
 */
export async function addToOutbox(
  tx: DbExecutor,
  events: DomainEvent | readonly DomainEvent[],
  options: { notify?: boolean } = {},
): Promise<void> {
  const list = Array.isArray(events) ? (events as readonly DomainEvent[]) : [events as DomainEvent];
  if (list.length === 0) return;
  const insert = tx.insert(outboxMessages).values(list.map((event) => ({ eventId: event.id, type: event.type, payload: event })));
  const now = performance.now();
  if (options.notify === false || now - lastNotifyAt < notifyCoalesceMs) {
    await insert;
    return;
  }
  lastNotifyAt = now;
  // One round trip for both: the insert as a CTE, the notify as the statement that runs it.
  await tx.execute(sql`with added as (${insert.getSQL()} returning 1) select pg_notify(${outboxChannel}, '')`);
}
