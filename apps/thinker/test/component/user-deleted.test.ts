import { randomUUID } from 'node:crypto';
import { createEvent } from '@trendcast/events';
import { waitFor } from '@trendcast/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drafts, erasedUsers, generations, inboxMessages, trendSearches } from '../../src/db/schema.js';
import { processGeneration } from '../../src/use-cases/process-generation.js';
import { pizzaSummary } from '../support/fixtures.js';
import { sendEvent } from '../support/events.js';
import { startThinker, type ThinkerStack } from '../support/service.js';

describe('users.user.deleted erases the person’s generations, drafts and searches, and keeps a tombstone', () => {
  let stack: ThinkerStack;
  const leaving = randomUUID();
  const staying = randomUUID();

  beforeAll(async () => {
    stack = await startThinker();
  });

  afterAll(async () => {
    await stack?.close();
  });

  const call = async (userId: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    stack.service.app!.inject({ method, url, headers: await stack.signer.headersFor(userId), ...(payload ? { payload } : {}) });

  async function completedGeneration(userId: string) {
    const { id } = (await call(userId, 'POST', '/thinker/generations', { topic: 'pizza', count: 2 })).json();
    return waitFor(
      async () => {
        const body = (await call(userId, 'GET', `/thinker/generations/${id}`)).json();
        return body.status === 'completed' ? body : undefined;
      },
      { what: 'the generation' },
    );
  }

  it('when the event arrives (twice), then that user’s rows are gone, the tombstone is there, and later writes are refused', async () => {
    const db = stack.service.deps.db;
    const mine = await completedGeneration(leaving);
    const theirs = await completedGeneration(staying);
    const searchEvent = createEvent(
      'trends.search.completed',
      { searchId: randomUUID(), userId: leaving, keywords: ['pizza'], geo: 'US', summary: pizzaSummary },
      { source: 'trends', correlationId: randomUUID() },
    );
    await sendEvent(stack.exchangeOf('trends'), searchEvent);
    await waitFor(async () => (await db.select().from(trendSearches).where(eq(trendSearches.userId, leaving))).length === 1, { what: 'the search kept' });

    const deleted = createEvent('users.user.deleted', { userId: leaving }, { source: 'users', correlationId: randomUUID() });
    await sendEvent(stack.exchangeOf('users'), deleted);
    await sendEvent(stack.exchangeOf('users'), deleted);

    await waitFor(async () => (await db.select().from(generations).where(eq(generations.userId, leaving))).length === 0, { what: 'the erasure' });
    expect(await db.select().from(drafts).where(eq(drafts.userId, leaving))).toEqual([]);
    expect(await db.select().from(trendSearches).where(eq(trendSearches.userId, leaving))).toEqual([]);
    expect(await db.select().from(erasedUsers).where(eq(erasedUsers.userId, leaving))).toHaveLength(1);
    expect(await db.select().from(inboxMessages).where(eq(inboxMessages.eventId, deleted.id))).toHaveLength(1);
    expect((await call(leaving, 'GET', `/thinker/generations/${mine.id}`)).statusCode).toBe(404);
    // Someone else's data is untouched.
    expect((await call(staying, 'GET', `/thinker/generations/${theirs.id}`)).json().drafts).toHaveLength(2);

    // A still-valid token writes nothing.
    const write = await call(leaving, 'POST', '/thinker/generations', { topic: 'pizza again' });
    expect(write.statusCode).toBe(403);
    expect(write.json().code).toBe('ACCOUNT_DELETED');
    // A late event about the user stores nothing.
    const late = createEvent(
      'trends.search.completed',
      { searchId: randomUUID(), userId: leaving, keywords: ['pizza'], geo: 'US', summary: pizzaSummary, generate: { count: 2, tone: 'neutral', channel: 'timeline' } },
      { source: 'trends', correlationId: randomUUID() },
    );
    await sendEvent(stack.exchangeOf('trends'), late);
    await waitFor(async () => (await db.select().from(inboxMessages).where(eq(inboxMessages.eventId, late.id))).length === 1, { what: 'the late event handled' });
    expect(await db.select().from(generations).where(eq(generations.userId, leaving))).toEqual([]);
    expect(await db.select().from(trendSearches).where(eq(trendSearches.userId, leaving))).toEqual([]);
  });

  it('when a job of an erased user runs, then its generation is deleted instead of written', async () => {
    const user = randomUUID();
    const paused = await startThinker({ env: { THINKER_RUN_WORKER: 'false' } });
    try {
      const { id } = (
        await paused.service.app!.inject({ method: 'POST', url: '/thinker/generations', headers: await paused.signer.headersFor(user), payload: { topic: 'pizza' } })
      ).json();
      // The tombstone lands while the job waits (as if the erasure raced the queue).
      await paused.service.deps.db.insert(erasedUsers).values({ userId: user });
      expect(await processGeneration(paused.service.deps, { generationId: id })).toEqual({ outcome: 'skipped' });
      expect(await paused.service.deps.db.select().from(generations).where(eq(generations.id, id))).toEqual([]);
    } finally {
      await paused.close();
    }
  });
});
