import type { DomainEvent } from '@trendcast/events';
import type { PendingQuery, Row, TransactionSql } from 'postgres';
import { getTableName, sql } from 'drizzle-orm';
import { driverOf } from './driver.js';
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

const table = getTableName(outboxMessages);
// The payload goes as JSON text, cast by the server (postgres.js has no jsonb serializer of its own).
const insertOne = `insert into ${table} (event_id, type, payload) values ($1::uuid, $2::text, $3::jsonb)`;
// One statement for both: the insert as a CTE, the notify as the select that runs it.
const insertOneNotify = `with added as (${insertOne} returning position) select pg_notify('${outboxChannel}', '') from (select 1) as one`;

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
  const notify = options.notify !== false && performance.now() - lastNotifyAt >= notifyCoalesceMs;
  if (notify) lastNotifyAt = performance.now();
  const driver = list.length === 1 ? driverOf(tx) : undefined;
  if (driver) {
    // The one-event case, straight to the driver (prepared: one round trip after the first use).
    const event = list[0]!;
    await driver.unsafe(notify ? insertOneNotify : insertOne, [event.id, event.type, JSON.stringify(event)], { prepare: true });
    return;
  }
  const insert = tx.insert(outboxMessages).values(list.map((event) => ({ eventId: event.id, type: event.type, payload: event })));
  // Prepared: postgres.js runs an unprepared statement with parameters in two round trips, a prepared one
  // in one (after its first use on a connection). Same reason for `prepare` throughout this package.
  if (!notify) {
    await insert.prepare('outbox_add').execute();
    return;
  }
  // One statement for both: the insert as a CTE, the notify as the select that runs it.
  const added = tx.$with('added').as(insert.returning({ position: outboxMessages.position }));
  await tx
    .with(added)
    .select({ notified: sql`pg_notify(${sql.raw(`'${outboxChannel}'`)}, '')` })
    .from(sql`(select 1) as one`)
    .prepare('outbox_add_notify')
    .execute();
}

/**
 * The statement that records one event, for a caller that pipelines it with its own statements in a
 * postgres.js transaction (`sql.begin(async (tx) => Promise.all([change, outboxStatement(tx, event)]))`):
 * the same row and the same coalesced NOTIFY as addToOutbox, sent to the server with the change
 * instead of after it.
 */
export function outboxStatement(tx: TransactionSql, event: DomainEvent): PendingQuery<Row[]> {
  const notify = performance.now() - lastNotifyAt >= notifyCoalesceMs;
  if (notify) lastNotifyAt = performance.now();
  return tx.unsafe(notify ? insertOneNotify : insertOne, [event.id, event.type, JSON.stringify(event)], { prepare: true });
}
