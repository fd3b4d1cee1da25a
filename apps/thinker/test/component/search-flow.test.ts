import { randomUUID } from 'node:crypto';
import { createEvent, type DomainEvent } from '@trendcast/events';
import { waitFor } from '@trendcast/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drafts, generations, inboxMessages } from '../../src/db/schema.js';
import { pizzaSummary } from '../support/fixtures.js';
import { catchEvents, sendEvent, type CaughtEvents } from '../support/events.js';
import { startThinker, type ThinkerStack } from '../support/service.js';

function searchCompleted(userId: string, generate?: { count: number; tone: string; channel: string }) {
  return createEvent(
    'trends.search.completed',
    { searchId: randomUUID(), userId, keywords: ['pizza'], geo: 'US', summary: pizzaSummary, ...(generate ? { generate } : {}) },
    { source: 'trends', correlationId: randomUUID() },
  );
}

describe('trends.search.completed → drafts → thinker.drafts.generated (offline, real PostgreSQL, Redis, RabbitMQ)', () => {
  let stack: ThinkerStack;
  let out: CaughtEvents;

  beforeAll(async () => {
    stack = await startThinker();
    out = await catchEvents(stack.exchangeOf('thinker'));
  });

  afterAll(async () => {
    await out?.close();
    await stack?.close();
  });

  const generationsOf = (searchId: string) => stack.service.deps.db.select().from(generations).where(eq(generations.searchId, searchId));

  it('when a search that asked for drafts completes, then its drafts are stored, scored, and announced with thinker.drafts.generated', async () => {
    const user = randomUUID();
    const event = searchCompleted(user, { count: 3, tone: 'witty', channel: 'mastodon' });
    await sendEvent(stack.exchangeOf('trends'), event);

    const generated = (await out.next(
      (e) => e.type === 'thinker.drafts.generated' && (e as DomainEvent<'thinker.drafts.generated'>).data.searchId === event.data.searchId,
      'thinker.drafts.generated for the search',
    )) as DomainEvent<'thinker.drafts.generated'>;

    expect(generated.correlationId).toBe(event.correlationId);
    expect(generated.data).toMatchObject({ userId: user, model: 'offline' });
    expect(generated.data.drafts).toHaveLength(3);
    const [generation] = await generationsOf(event.data.searchId);
    expect(generation).toMatchObject({ status: 'completed', tone: 'witty', channel: 'mastodon', model: 'offline', count: 3 });
    const stored = await stack.service.deps.db.select().from(drafts).where(eq(drafts.generationId, generation!.id));
    expect(stored).toHaveLength(3);
    for (const draft of stored) {
      expect(draft).toMatchObject({ status: 'draft', userId: user, channel: 'mastodon' });
      expect(['negative', 'neutral', 'positive']).toContain(draft.sentimentLabel);
      expect(draft.sentimentModel).toMatch(/^offline-linear@/);
      expect(draft.sentimentScore).toBeGreaterThanOrEqual(-1);
      expect(draft.sentimentScore).toBeLessThanOrEqual(1);
      const announced = generated.data.drafts.find((d) => d.id === draft.id);
      expect(announced).toMatchObject({ text: draft.text, sentiment: { label: draft.sentimentLabel, scorer: draft.sentimentModel } });
    }
  });

  it('when the same event is delivered twice, and another event names the same search, then there is one generation and one announcement', async () => {
    const event = searchCompleted(randomUUID(), { count: 2, tone: 'neutral', channel: 'timeline' });
    await sendEvent(stack.exchangeOf('trends'), event);
    await sendEvent(stack.exchangeOf('trends'), event);
    // A second event (another id) about the same search: the trigger key keeps it to one generation.
    await sendEvent(stack.exchangeOf('trends'), { ...event, id: randomUUID() });

    await out.next(
      (e) => e.type === 'thinker.drafts.generated' && (e as DomainEvent<'thinker.drafts.generated'>).data.searchId === event.data.searchId,
      'the announcement',
    );
    const db = stack.service.deps.db;
    await waitFor(async () => (await db.select().from(inboxMessages).where(eq(inboxMessages.eventId, event.id))).length === 1, { what: 'the inbox record' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await generationsOf(event.data.searchId)).toHaveLength(1);
    const announcements = out.ofType('thinker.drafts.generated').filter((e) => (e as DomainEvent<'thinker.drafts.generated'>).data.searchId === event.data.searchId);
    expect(announcements).toHaveLength(1);
  });

  it('when a search did not ask for drafts, then no generation is made, yet a later POST can name the search', async () => {
    const user = randomUUID();
    const event = searchCompleted(user);
    await sendEvent(stack.exchangeOf('trends'), event);
    const db = stack.service.deps.db;
    await waitFor(async () => (await db.select().from(inboxMessages).where(eq(inboxMessages.eventId, event.id))).length === 1, { what: 'the event handled' });
    expect(await generationsOf(event.data.searchId)).toHaveLength(0);

    const headers = await stack.signer.headersFor(user);
    const response = await stack.service.app!.inject({ method: 'POST', url: '/thinker/generations', headers, payload: { trendSearchId: event.data.searchId, count: 2 } });
    expect(response.statusCode).toBe(202);
    const done = await waitFor(
      async () => {
        const body = (await stack.service.app!.inject({ method: 'GET', url: `/thinker/generations/${response.json().id}`, headers })).json();
        return body.status === 'completed' ? body : undefined;
      },
      { what: 'the generation from the stored search' },
    );
    expect(done).toMatchObject({ trendSearchId: event.data.searchId, topic: null, model: 'offline' });
    expect(done.drafts).toHaveLength(2);

    // Someone else cannot name that search.
    const other = await stack.service.app!.inject({
      method: 'POST',
      url: '/thinker/generations',
      headers: await stack.signer.headersFor(randomUUID()),
      payload: { trendSearchId: event.data.searchId },
    });
    expect(other.statusCode).toBe(404);
  });

  it('when a search asks for drafts on a channel kind thinker cannot write for, then the generation fails with thinker.generation.failed', async () => {
    const event = searchCompleted(randomUUID(), { count: 2, tone: 'neutral', channel: 'fax' });
    await sendEvent(stack.exchangeOf('trends'), event);
    const failed = (await out.next(
      (e) => e.type === 'thinker.generation.failed' && (e as DomainEvent<'thinker.generation.failed'>).data.searchId === event.data.searchId,
      'thinker.generation.failed',
    )) as DomainEvent<'thinker.generation.failed'>;
    expect(failed.data.reason).toContain('fax');
    const [generation] = await generationsOf(event.data.searchId);
    expect(generation?.status).toBe('failed');
  });
});
