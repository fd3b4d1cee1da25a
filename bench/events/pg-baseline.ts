import type { DomainEvent } from '@trendcast/events';
import { addToOutbox, outboxMessages, type Transaction } from '@trendcast/outbox';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { generateLoad } from './load.js';
import { searches } from './schema.js';
import { ownCpu } from './own-cpu.js';
import { cpuMeter, LatencyRecorder, loopMeter, now, summarize, type PhaseResult } from './stats.js';

export interface PgPhaseOptions {
  databaseUrl: string;
  events: number;
  rate: number | undefined;
  concurrency: number;
  timeoutMs: number;
  newEvent: () => DomainEvent<'trends.search.failed'>;
  /** Also write the outbox row in the same transaction (no relay runs). */
  withOutbox: boolean;
  notify: boolean;
  /** Make every transaction NOTIFY, as addToOutbox would without coalescing: shows what coalescing saves. */
  notifyEach?: boolean;
}

/** The state change alone (optionally with its outbox row): one transaction per event, nothing downstream. */
export async function runPgPhase(options: PgPhaseOptions): Promise<PhaseResult> {
  const client = postgres(options.databaseUrl, { max: options.concurrency, onnotice: () => {} });
  const db = drizzle(client);
  try {
    await db.execute(sql`select 1`);
    const events = Array.from({ length: options.events }, options.newEvent);
    const latencies = new LatencyRecorder();
    const startedAt = now();
    loopMeter.take();
    cpuMeter.take();
    await ownCpu.start();
    await generateLoad(
      { total: options.events, rate: options.rate, concurrency: options.concurrency, deadline: startedAt + options.timeoutMs },
      async (i, intendedAt) => {
        const event = events[i]!;
        await db.transaction(async (tx) => {
          // The state change and its outbox row go out together, as in the full path.
          const insert = tx.insert(searches).values({ id: event.data.searchId, userId: event.data.userId, status: 'failed', reason: event.data.reason }).prepare('insert_search').execute();
          if (options.notifyEach) await Promise.all([insert, addWithNotify(tx, event)]);
          else if (options.withOutbox) await Promise.all([insert, addToOutbox(tx, event, { notify: options.notify })]);
          else await insert;
        });
        latencies.record(now() - intendedAt);
      },
    );
    const endedAt = now();
    const cpuMs = await ownCpu.stop();
    await db.execute(sql`truncate searches, outbox_messages`);
    const name = options.notifyEach ? 'pg tx: row + outbox row, NOTIFY each' : options.withOutbox ? 'pg tx: row + outbox row' : 'pg tx: row insert';
    return summarize(name, options.rate ? `${options.rate}/s` : 'unbounded', latencies, startedAt, endedAt, { cpuMs });
  } finally {
    await client.end();
  }
}

/** The statement addToOutbox runs when it notifies, run by every transaction. */
async function addWithNotify(tx: Transaction, event: DomainEvent): Promise<void> {
  const insert = tx.insert(outboxMessages).values({ eventId: event.id, type: event.type, payload: event });
  const added = tx.$with('added').as(insert.returning({ position: outboxMessages.position }));
  await tx
    .with(added)
    .select({ notified: sql`pg_notify('outbox_messages', '')` })
    .from(sql`(select 1) as one`)
    .prepare('outbox_add_notify')
    .execute();
}
