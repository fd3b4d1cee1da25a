import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { waitFor } from './wait-for.js';

/**
 * For a service started with INBOX_RETENTION_DAYS=7: seeds its inbox with ids `consumer` handled 8
 * days, 6 days and a moment ago, runs `start`, waits until the 8-day-old id is gone, and answers the
 * ids left beside the two that should be kept.
 */
export async function inboxAfterPruning(o: { databaseUrl: string; consumer: string; start: () => Promise<void> }): Promise<{ left: string[]; kept: string[] }> {
  const sql = postgres(o.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [old, younger, recent] = [randomUUID(), randomUUID(), randomUUID()];
    await sql`insert into inbox_messages (consumer, event_id, handled_at) values
      (${o.consumer}, ${old}, now() - interval '8 days'),
      (${o.consumer}, ${younger}, now() - interval '6 days'),
      (${o.consumer}, ${recent}, now())`;
    await o.start();
    const left = await waitFor(
      async () => {
        const rows = await sql<Array<{ event_id: string }>>`select event_id from inbox_messages`;
        return !rows.some((row) => row.event_id === old) && rows.map((row) => row.event_id);
      },
      { what: 'the old id to be pruned' },
    );
    return { left: left.sort(), kept: [younger, recent].sort() };
  } finally {
    await sql.end();
  }
}
