import type { DomainEvent } from '@trendcast/events';
import { addToOutbox } from '@trendcast/outbox';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { generateLoad } from './load.js';
import { searches } from './schema.js';
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
    await generateLoad(
      { total: options.events, rate: options.rate, concurrency: options.concurrency, deadline: startedAt + options.timeoutMs },
      async (i, intendedAt) => {
        const event = events[i]!;
        await db.transaction(async (tx) => {
          await tx.insert(searches).values({ id: event.data.searchId, userId: event.data.userId, status: 'failed', reason: event.data.reason }).prepare('insert_search').execute();
          if (options.withOutbox) await addToOutbox(tx, event, { notify: options.notify });
        });
        latencies.record(now() - intendedAt);
      },
    );
    const endedAt = now();
    await db.execute(sql`truncate searches, outbox_messages`);
    const name = options.withOutbox ? 'pg tx: row + outbox row' : 'pg tx: row insert';
    return summarize(name, options.rate ? `${options.rate}/s` : 'unbounded', latencies, startedAt, endedAt);
  } finally {
    await client.end();
  }
}
