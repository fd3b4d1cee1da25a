import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@trendcast/events';
import { waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { producerExchangeName } from '@trendcast/messaging';
import { tapExchange, type EventTap } from './support/event-tap.js';
import { startTestStack, type TestStack } from './support/service.js';

describe('searches: request → job → stored result → event on trends.events', () => {
  let stack: TestStack;
  let tap: EventTap;
  const alice = randomUUID();
  const bob = randomUUID();

  beforeAll(async () => {
    stack = await startTestStack();
    tap = await tapExchange(producerExchangeName('trends', stack.config.RABBITMQ_NAMESPACE), 'trends.search.*');
  });

  afterAll(async () => {
    await stack?.close();
    await tap?.close();
  });

  const app = () => {
    if (!stack.service.app) throw new Error('the API is not running');
    return stack.service.app;
  };

  async function request(userId: string, body: object, headers: Record<string, string> = {}) {
    return app().inject({
      method: 'POST',
      url: '/trends/searches',
      headers: { ...(await stack.auth.headersFor(userId)), ...headers },
      payload: body,
    });
  }

  async function show(userId: string, id: string) {
    return app().inject({ method: 'GET', url: `/trends/searches/${id}`, headers: await stack.auth.headersFor(userId) });
  }

  async function settled(userId: string, id: string) {
    return waitFor(
      async () => {
        const body = (await show(userId, id)).json();
        return body.status === 'completed' || body.status === 'failed' ? body : undefined;
      },
      { timeoutMs: 20_000, what: `search ${id} to finish` },
    );
  }

  function completedEventOf(searchId: string) {
    return tap.waitFor(
      (event): event is DomainEvent<'trends.search.completed'> =>
        event.type === 'trends.search.completed' && event.data.searchId === searchId,
    );
  }

  function failedEventOf(searchId: string) {
    return tap.waitFor(
      (event): event is DomainEvent<'trends.search.failed'> => event.type === 'trends.search.failed' && event.data.searchId === searchId,
    );
  }

  it('when a user asks for a search, then Google is asked, the result is stored and trends.search.completed is published', async () => {
    const googleCallsBefore = stack.fake.requests.length;

    const response = await request(
      alice,
      {
        keywords: ['pizza', 'bagel'],
        startTime: '2021-01-01',
        endTime: '2021-01-05',
        generate: { count: 3, tone: 'playful', channel: 'timeline' },
      },
      { 'x-correlation-id': 'flow-test-1' },
    );

    expect(response.statusCode).toBe(202);
    const { id, status, statusUrl } = response.json();
    expect(status).toBe('queued');
    expect(statusUrl).toBe(`http://localhost:8080/api/trends/searches/${id}`);
    expect(response.headers.location).toBe(statusUrl);

    const search = await settled(alice, id);
    expect(search.status).toBe('completed');
    expect(search.results.interestOverTime.points.map((p: { values: number[] }) => p.values)).toEqual([
      [100, 2], [83, 2], [78, 2], [49, 1], [50, 1],
    ]);
    expect(search.results.relatedQueries.map((r: { keyword: string }) => r.keyword)).toEqual(['pizza', 'bagel']);
    expect(search.results.relatedQueries[1].top[0].query).toBe('the bagel');
    expect(search.results.relatedTopics[0].top[0].title).toBe('Pizza');
    expect(search.results.interestByRegion.regions.length).toBeGreaterThan(100);

    const event = await completedEventOf(id);
    expect(event.source).toBe('trends');
    expect(event.correlationId).toBe('flow-test-1');
    expect(event.data).toMatchObject({ userId: alice, keywords: ['pizza', 'bagel'], geo: '', generate: { count: 3, tone: 'playful', channel: 'timeline' } });
    expect(event.data.summary.peaks[0]).toEqual({ keyword: 'pizza', date: '2021-01-01T00:00:00.000Z', value: 100 });
    expect(event.data.summary.averages).toEqual([{ keyword: 'pizza', value: 72 }, { keyword: 'bagel', value: 2 }]);
    expect(event.data.summary.risingQueries[0]).toEqual({ keyword: 'pizza', query: 'licorice pizza', value: 'Breakout' });
    expect(event.data.summary.topRegions.length).toBe(10);
    // interest over time, by region, related queries ×2 and topics ×2: explore + widget data each
    expect(stack.fake.requests.length - googleCallsBefore).toBe(12);
  });

  it('when the same question is asked again within the cache window, then it is answered from the stored result without Google', async () => {
    const first = (await request(alice, { keywords: ['Pizza', 'bagel'], timeframe: 'past-5-years' })).json();
    await settled(alice, first.id);
    const googleCallsBefore = stack.fake.requests.length;

    // Same keywords in another order and case, asked by someone else.
    const second = await request(bob, { keywords: ['BAGEL', 'pizza'], timeframe: 'past-5-years' });

    expect(second.statusCode).toBe(202);
    expect(second.json().status).toBe('completed');
    const search = (await show(bob, second.json().id)).json();
    expect(search.cached).toBe(true);
    expect(search.results.interestOverTime.points.at(-1).isPartial).toBe(true);
    expect((await completedEventOf(search.id)).data.userId).toBe(bob);
    expect(stack.fake.requests.length).toBe(googleCallsBefore);
  });

  it('when Google answers 429, then an HTML page, the job retries with backoff and completes on the third attempt', async () => {
    // Both the call and google-trends-api's own cookie retry get 429; the next attempt gets the HTML 404 page.
    stack.fake.failNext(['rate-limit', 'rate-limit'], 'explore').failNext('html-404', 'widgetdata');

    const { id } = (await request(alice, { keywords: ['pizza'], startTime: '2021-01-02', endTime: '2021-01-05' })).json();

    const search = await settled(alice, id);
    expect(search.status).toBe('completed');
    expect(search.attempts).toBe(3);
    expect(search.results.interestOverTime.keywords).toEqual(['pizza']);
    expect(stack.fake.requests.filter((r) => r.fault).map((r) => [r.fault, r.status])).toEqual(
      expect.arrayContaining([['rate-limit', 429], ['html-404', 404]]),
    );
    await completedEventOf(id);
  });

  it('when Google keeps answering 429, then after the last attempt the search fails with a readable reason and trends.search.failed', async () => {
    stack.fake.failAlways('rate-limit');
    try {
      const { id } = (await request(alice, { keywords: ['bagel'], startTime: '2021-01-03', endTime: '2021-01-05' })).json();

      const search = await settled(alice, id);
      expect(search.status).toBe('failed');
      expect(search.attempts).toBe(3);
      expect(search.failureReason).toBe(
        'Google Trends answered 429 Too Many Requests while fetching interest over time for "bagel" (gave up after 3 attempts)',
      );
      const event = await failedEventOf(id);
      expect(event.data).toMatchObject({ userId: alice, keywords: ['bagel'], reason: search.failureReason });
    } finally {
      stack.fake.failAlways(null);
    }
  });

  it('when the keyword has no data, then the search fails saying so after the no-data attempts', async () => {
    const { id } = (await request(alice, { keywords: ['qwxzvbnm'], timeframe: 'past-30-days' })).json();

    const search = await settled(alice, id);

    expect(search.status).toBe('failed');
    expect(search.attempts).toBe(2);
    expect(search.failureReason).toContain('Google Trends has no data for "qwxzvbnm"');
    await failedEventOf(id);
  });

  it("when someone asks for another user's search, then it is not found, and lists only show one's own", async () => {
    const { id } = (await request(alice, { keywords: ['pizza'], timeframe: 'past-12-months' })).json();

    expect((await show(bob, id)).statusCode).toBe(404);
    const deleteByBob = await app().inject({ method: 'DELETE', url: `/trends/searches/${id}`, headers: await stack.auth.headersFor(bob) });
    expect(deleteByBob.statusCode).toBe(404);
    expect(deleteByBob.json().code).toBe('NOT_FOUND');
    const bobsList = (await app().inject({ method: 'GET', url: '/trends/searches', headers: await stack.auth.headersFor(bob) })).json();
    expect(bobsList.items.every((item: { id: string }) => item.id !== id)).toBe(true);
    expect((await show(alice, id)).statusCode).toBe(200);
  });

  it('when a user pages through their searches filtered by status, then each page is theirs, newest first, and the cursor continues', async () => {
    const headers = await stack.auth.headersFor(alice);
    const all = (await app().inject({ method: 'GET', url: '/trends/searches?limit=100', headers })).json().items;
    const firstPage = (await app().inject({ method: 'GET', url: '/trends/searches?limit=2', headers })).json();
    const secondPage = (
      await app().inject({ method: 'GET', url: `/trends/searches?limit=2&cursor=${firstPage.nextCursor}`, headers })
    ).json();
    const failed = (await app().inject({ method: 'GET', url: '/trends/searches?status=failed', headers })).json();

    expect([...firstPage.items, ...secondPage.items].map((s: { id: string }) => s.id)).toEqual(all.slice(0, 4).map((s: { id: string }) => s.id));
    expect(failed.items.length).toBeGreaterThanOrEqual(2);
    expect(failed.items.every((s: { status: string }) => s.status === 'failed')).toBe(true);
  });

  it('when a user deletes their search, then it and its result are gone', async () => {
    const { id } = (await request(alice, { keywords: ['pizza', 'bagel'], startTime: '2021-01-01', endTime: '2021-01-05' })).json();
    await settled(alice, id);

    const deleted = await app().inject({ method: 'DELETE', url: `/trends/searches/${id}`, headers: await stack.auth.headersFor(alice) });

    expect(deleted.statusCode).toBe(204);
    expect((await show(alice, id)).statusCode).toBe(404);
  });

  it('when no token is sent, then every route answers 401', async () => {
    const response = await app().inject({ method: 'GET', url: '/trends/searches' });

    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('UNAUTHENTICATED');
  });
});
