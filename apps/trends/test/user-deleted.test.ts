import { randomUUID } from 'node:crypto';
import { createEvent } from '@trendcast/events';
import { producerExchangeName } from '@trendcast/messaging';
import { sleep, waitFor } from '@trendcast/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxMessages, searchResults, searches, watches } from '../src/db/schema.js';
import { publishEvent } from './support/event-tap.js';
import { startTestStack, type TestStack } from './support/service.js';

describe('users.user.deleted erases the person’s searches and watches', () => {
  let stack: TestStack;
  const leaving = randomUUID();
  const staying = randomUUID();

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  const post = async (userId: string, url: string, payload: object) =>
    (await stack.service.app!.inject({ method: 'POST', url, headers: await stack.auth.headersFor(userId), payload })).json();

  it('when the event arrives (twice), then that user’s searches, results, watches and schedulers are gone and nobody else’s', async () => {
    const search = await post(leaving, '/trends/searches', { keywords: ['pizza', 'bagel'], startTime: '2021-01-01', endTime: '2021-01-05' });
    const watch = await post(leaving, '/trends/watches', { keywords: ['pizza'], every: '1h' });
    const othersSearch = await post(staying, '/trends/searches', { keywords: ['pizza'], timeframe: 'past-90-days' });
    const db = stack.service.deps.db;
    await waitFor(async () => (await db.select().from(searchResults).where(eq(searchResults.searchId, search.id))).length === 1, {
      what: 'the search result',
    });
    expect((await stack.service.deps.queue.scheduledWatchIds()).has(watch.id)).toBe(true);

    const event = createEvent('users.user.deleted', { userId: leaving }, { source: 'users', correlationId: randomUUID() });
    const exchange = producerExchangeName('users', stack.config.RABBITMQ_NAMESPACE);
    await publishEvent(exchange, event);
    await publishEvent(exchange, event);

    await waitFor(async () => (await db.select().from(searches).where(eq(searches.userId, leaving))).length === 0, {
      what: 'the searches to be erased',
    });
    expect(await db.select().from(watches).where(eq(watches.userId, leaving))).toEqual([]);
    expect(await db.select().from(searchResults).where(eq(searchResults.searchId, search.id))).toEqual([]);
    expect((await stack.service.deps.queue.scheduledWatchIds()).has(watch.id)).toBe(false);
    expect((await db.select().from(searches).where(eq(searches.id, othersSearch.id))).length).toBe(1);

    // The redelivered copy changed nothing and was recorded once.
    await sleep(300);
    const handled = await db
      .select()
      .from(inboxMessages)
      .where(and(eq(inboxMessages.consumer, 'trends'), eq(inboxMessages.eventId, event.id)));
    expect(handled).toHaveLength(1);
  });
});
