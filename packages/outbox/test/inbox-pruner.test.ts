import { silentLogger } from '@trendcast/messaging';
import { waitFor } from '@trendcast/testing';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleOnce, InboxPruner, inboxMessages, wasHandled } from '../src/index.js';
import { createServiceDatabase, type ServiceDatabase } from './support/database.js';
import { numberedEvent } from './support/events.js';

let service: ServiceDatabase;
const day = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  service = await createServiceDatabase('outbox_prune');
});

afterAll(async () => {
  await service?.close();
});

async function handledDaysAgo(consumer: string, days: number) {
  const event = numberedEvent(days);
  await handleOnce(service.db, consumer, event, async () => {});
  await service.db
    .update(inboxMessages)
    .set({ handledAt: sql`now() - ${days} * interval '1 day'` })
    .where(and(eq(inboxMessages.consumer, consumer), eq(inboxMessages.eventId, event.id)));
  return event;
}

describe('inbox pruning', () => {
  it('when the pruner runs, then ids older than the retention are forgotten, recent ones kept, in chunks, and stop ends it', async () => {
    // Arrange: 12 000 old ids (more than two chunks) and a few recent ones
    await service.client`insert into inbox_messages (consumer, event_id, handled_at)
      select 'bulk', gen_random_uuid(), now() - interval '40 days' from generate_series(1, 12000)`;
    const old = await handledDaysAgo('pruner', 31);
    const recent = await handledDaysAgo('pruner', 2);
    const pruner = new InboxPruner({ db: service.db, logger: silentLogger, retentionMs: 30 * day, longestRedeliveryMs: 10 * 60_000, intervalMs: 60_000 });

    // Act
    pruner.start();
    await waitFor(async () => !(await wasHandled(service.db, 'pruner', old.id)), { what: 'the old id to be pruned' });
    await pruner.stop();

    // Assert
    expect(await wasHandled(service.db, 'pruner', recent.id)).toBe(true);
    const [{ remaining }] = await service.client<[{ remaining: number }]>`select count(*)::int as remaining from inbox_messages where consumer = 'bulk'`;
    expect(remaining).toBe(0);
  });

  it('when the retention is not longer than the longest redelivery, then the pruner refuses to be built', () => {
    expect(() => new InboxPruner({ db: service.db, logger: silentLogger, retentionMs: 60_000, longestRedeliveryMs: 5 * 60_000 })).toThrow('must be longer than the longest redelivery');
  });

  it('when built for a consumer, then the retention in days must outlast that consumer\'s retry path', () => {
    const consumer = (longestMs: number) => ({ longestRetryPathMs: () => longestMs });
    expect(() => InboxPruner.forConsumer(consumer(2 * day), { db: service.db, logger: silentLogger, retentionDays: 1 })).toThrow('must be longer than the longest redelivery');
    expect(InboxPruner.forConsumer(consumer(2 * day), { db: service.db, logger: silentLogger, retentionDays: 3 })).toBeInstanceOf(InboxPruner);
  });

  it('when old rows are looked up by age, then the handled_at index serves the search', async () => {
    // Arrange: a table of recent ids large enough for the planner to prefer an index for the few old ones
    await service.client`insert into inbox_messages (consumer, event_id) select 'indexprobe', gen_random_uuid() from generate_series(1, 20000)`;
    await service.client`analyze inbox_messages`;

    // Act
    const plan = await service.client.unsafe(`explain select ctid from inbox_messages where handled_at < now() - interval '30 days' limit 5000`);

    // Assert
    expect(plan.map((row) => Object.values(row)[0]).join('\n')).toContain('inbox_messages_handled_at_idx');
  });
});
