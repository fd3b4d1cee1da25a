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
  // Prepared: postgres.js runs an unprepared statement with parameters in two round trips, a prepared one
  // in one (after its first use on a connection). Same reason for `prepare` throughout this package.
  if (options.notify === false || now - lastNotifyAt < notifyCoalesceMs) {
    await insert.prepare('outbox_add').execute();
    return;
  }
  lastNotifyAt = now;
  // One statement for both: the insert as a CTE, the notify as the select that runs it.
  const added = tx.$with('added').as(insert.returning({ position: outboxMessages.position }));
  await tx
    .with(added)
    .select({ notified: sql`pg_notify(${sql.raw(`'${outboxChannel}'`)}, '')` })
    .from(sql`(select 1) as one`)
    .prepare('outbox_add_notify')
    .execute();
}
