import { getTableName, sql } from 'drizzle-orm';
import { driverOf } from './driver.js';
import { inboxMessages } from './schema.js';
import type { Transaction } from './types.js';

// One array parameter: the statement text is the same whatever the number of ids, so it is prepared
// once per connection (postgres.js runs an unprepared statement with parameters in two round trips).
const insertIds = `insert into ${getTableName(inboxMessages)} (consumer, event_id)
  select $1::text, id from unnest($2::uuid[]) as id
  on conflict do nothing returning event_id`;

/**
 * Inserts (consumer, id) inbox rows in the given order, skipping those already there (waiting on a
 * concurrent transaction's row until it commits or aborts); returns the ids it inserted.
 */
export async function recordInInbox(tx: Transaction, consumer: string, ids: readonly string[]): Promise<string[]> {
  const array = `{${ids.join(',')}}`;
  const driver = driverOf(tx);
  if (driver) {
    // Straight to the driver: drizzle's query building costs more CPU than the round trip.
    const rows = await driver.unsafe<Array<{ event_id: string }>>(insertIds, [consumer, array], { prepare: true });
    return rows.map((row) => row.event_id);
  }
  const rows = await tx
    .insert(inboxMessages)
    .select(sql`select ${consumer}, id, now() from unnest(${array}::uuid[]) as id`)
    .onConflictDoNothing()
    .returning({ eventId: inboxMessages.eventId })
    .prepare('inbox_record')
    .execute();
  return rows.map((row) => row.eventId);
}
