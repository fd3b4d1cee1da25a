import { randomUUID } from 'node:crypto';
import { createEvent } from '@trendcast/events';
import { producerExchangeName } from '@trendcast/messaging';
import { sleep, waitFor } from '@trendcast/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrendsConfig } from '../src/config.js';
import { inboxMessages, searches, watches } from '../src/db/schema.js';
import { parseTrendingRss } from '../src/integrations/google/parse-trending-rss.js';
import { eraseUserData } from '../src/use-cases/erase-user-data.js';
import { fixture } from './fake-google/recordings.js';
import { publishEvent } from './support/event-tap.js';
import { startTestStack, type TestStack } from './support/service.js';

type Injected = Awaited<ReturnType<NonNullable<TestStack['service']['app']>['inject']>>;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    env: { USER_MAX_SEARCHES_IN_FLIGHT: '5', USER_MAX_SEARCHES_PER_MINUTE: '8', USER_MAX_ACTIVE_WATCHES: '3' },
  });
});
afterAll(async () => stack?.close());

const app = () => stack.service.app!;
const db = () => stack.service.deps.db;
const inject = async (userId: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, token?: string) =>
  app().inject({
    method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : await stack.auth.headersFor(userId),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
/** Whether Google was ever asked about this keyword (the explore call carries the keywords). */
const googleAsked = (keyword: string) => stack.fake.requests.some((request) => (request.query.get('req') ?? '').includes(keyword));

describe('a deleted user’s still-valid access token', () => {
  it('when the user was erased, then their old token can create neither a watch nor a search, nothing is stored and Google is not asked', async () => {
    const userId = randomUUID();
    const token = await stack.auth.tokenFor(userId);
    const before = await inject(userId, 'POST', '/trends/watches', { keywords: ['tombstone-before'], every: '1h' }, token);
    expect(before.statusCode).toBe(201);

    // DELETE /users/me committed users.user.deleted; trends hears it on its queue.
    const event = createEvent('users.user.deleted', { userId }, { source: 'users', correlationId: randomUUID() });
    await publishEvent(producerExchangeName('users', stack.config.RABBITMQ_NAMESPACE), event);
    await waitFor(async () => (await db().select().from(inboxMessages).where(eq(inboxMessages.eventId, event.id))).length === 1, {
      what: 'the erasure',
    });
    expect(await db().select().from(watches).where(eq(watches.userId, userId))).toEqual([]);

    const watch = await inject(userId, 'POST', '/trends/watches', { keywords: ['tombstone-after'], every: '1h' }, token);
    const search = await inject(userId, 'POST', '/trends/searches', { keywords: ['tombstone-after'] }, token);

    for (const response of [watch, search]) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'ACCOUNT_DELETED' });
    }
    expect(await db().select().from(watches).where(eq(watches.userId, userId))).toEqual([]);
    expect(await db().select().from(searches).where(eq(searches.userId, userId))).toEqual([]);
    await sleep(500);
    expect(googleAsked('tombstone-after')).toBe(false);
  });

  it('when writes race the erasure, then whatever they managed to store is erased and the rest is refused', async () => {
    const userId = randomUUID();
    const token = await stack.auth.tokenFor(userId);
    stack.fake.delayAnswers(2_000);
    try {
      const writes = Array.from({ length: 12 }, (_, i) =>
        i % 2 === 0
          ? inject(userId, 'POST', '/trends/searches', { keywords: [`race-${i}`] }, token)
          : inject(userId, 'POST', '/trends/watches', { keywords: [`race-${i}`], every: '1h' }, token),
      );
      const event = createEvent('users.user.deleted', { userId }, { source: 'users', correlationId: randomUUID() });
      const [erased, ...responses] = await Promise.all([sleep(15).then(() => eraseUserData(stack.service.deps, event)), ...writes]);

      expect(erased.outcome).toBe('handled');
      for (const response of responses as Injected[]) expect([201, 202, 403, 429]).toContain(response.statusCode);
      expect(await db().select().from(watches).where(eq(watches.userId, userId))).toEqual([]);
      expect(await db().select().from(searches).where(eq(searches.userId, userId))).toEqual([]);
    } finally {
      stack.fake.delayAnswers(0);
    }
  });

  it('when a job still names an erased user, then the search or watch is deleted instead of asking Google', async () => {
    const userId = randomUUID();
    await eraseUserData(stack.service.deps, createEvent('users.user.deleted', { userId }, { source: 'users', correlationId: randomUUID() }));
    // Rows that escaped the erasure (written past the API), each with its job.
    const now = new Date();
    const searchId = randomUUID();
    const watchId = randomUUID();
    await db().insert(searches).values({
      id: searchId, userId, keywords: ['leftover-search'], geo: '', timeframe: 'past-7-days', startTime: new Date(now.getTime() - 7 * 86_400_000),
      endTime: now, category: 0, property: 'web', cacheKey: 'leftover', status: 'queued', correlationId: randomUUID(), createdAt: now, updatedAt: now,
    });
    await db().insert(watches).values({
      id: watchId, userId, keywords: ['leftover-watch'], geo: '', timeframe: 'past-7-days', category: 0, property: 'web', every: '1s',
      timezone: 'UTC', status: 'active', createdAt: now, updatedAt: now,
    });
    await stack.service.deps.queue.enqueueSearch(searchId);
    await stack.service.deps.queue.upsertWatchScheduler(watchId, { kind: 'interval', everyMs: 1_000 });

    await waitFor(async () => (await db().select().from(searches).where(eq(searches.id, searchId))).length === 0, { what: 'the search erased' });
    await waitFor(async () => (await db().select().from(watches).where(eq(watches.id, watchId))).length === 0, { what: 'the watch erased' });
    await waitFor(async () => !(await stack.service.deps.queue.scheduledWatchIds()).has(watchId), { what: 'the scheduler removed' });
    expect(await db().select().from(searches).where(eq(searches.userId, userId))).toEqual([]);
    expect(googleAsked('leftover-search')).toBe(false);
    expect(googleAsked('leftover-watch')).toBe(false);
  });
});

describe('what one user may queue', () => {
  function expectCapped(responses: Injected[], okStatus: number, code: string, limit: number) {
    const ok = responses.filter((response) => response.statusCode === okStatus);
    const refused = responses.filter((response) => response.statusCode === 429);
    expect(ok.length + refused.length).toBe(responses.length);
    expect(ok.length).toBeLessThanOrEqual(limit);
    expect(ok.length).toBeGreaterThan(0);
    for (const response of refused) {
      expect(response.json()).toMatchObject({ code, details: { limit, retryAfterSeconds: expect.any(Number) } });
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    return ok.length;
  }

  it('when 100 searches arrive at once from one user, then at most 5 are in flight, the rest get 429, and another user is still served', async () => {
    const greedy = randomUUID();
    stack.fake.delayAnswers(3_000);
    try {
      const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => inject(greedy, 'POST', '/trends/searches', { keywords: [`greedy-${i}`] })));
      const other = await inject(randomUUID(), 'POST', '/trends/searches', { keywords: ['someone else'] });

      expectCapped(responses, 202, 'TOO_MANY_SEARCHES_IN_FLIGHT', 5);
      expect(other.statusCode).toBe(202);
      const stored = await db().select().from(searches).where(eq(searches.userId, greedy));
      expect(stored.length).toBeLessThanOrEqual(5);
    } finally {
      stack.fake.delayAnswers(0);
    }
  });

  it('when 50 searches arrive at once from one user whose answers come from the cache, then at most 8 a minute are accepted', async () => {
    const userId = randomUUID();
    const keywords = ['pizza'];
    const first = await inject(userId, 'POST', '/trends/searches', { keywords, timeframe: 'past-90-days' });
    await waitFor(async () => (await inject(userId, 'GET', `/trends/searches/${first.json().id}`)).json().status === 'completed', {
      what: 'the first search',
      timeoutMs: 20_000,
    });

    const responses = await Promise.all(Array.from({ length: 50 }, () => inject(userId, 'POST', '/trends/searches', { keywords, timeframe: 'past-90-days' })));

    const accepted = expectCapped(responses, 202, 'SEARCH_RATE_LIMITED', 8);
    expect(accepted).toBeLessThanOrEqual(7);
    expect(Number(responses.find((response) => response.statusCode === 429)!.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('when 100 watches arrive at once from one user, then at most 3 are active and resuming a paused one is capped too', async () => {
    const userId = randomUUID();

    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => inject(userId, 'POST', '/trends/watches', { keywords: [`watch-${i}`], every: '1d' })),
    );

    const created = expectCapped(responses, 201, 'TOO_MANY_WATCHES', 3);
    expect(created).toBe(3);
    const [one] = responses.filter((response) => response.statusCode === 201).map((response) => response.json().id as string);
    expect((await inject(userId, 'POST', `/trends/watches/${one}/pause`)).statusCode).toBe(200);
    expect((await inject(userId, 'POST', '/trends/watches', { keywords: ['one more'], every: '1d' })).statusCode).toBe(201);
    const resumed = await inject(userId, 'POST', `/trends/watches/${one}/resume`);
    expect(resumed.statusCode).toBe(429);
    expect(resumed.json().code).toBe('TOO_MANY_WATCHES');
  });
});

describe('input no database can store', () => {
  it('when any text field or query of trends carries NUL or a lone surrogate, then the answer is 400 VALIDATION_FAILED, never 500', async () => {
    const userId = randomUUID();
    const cases: Array<['POST', string, (s: string) => unknown]> = [
      ['POST', '/trends/searches', (s) => ({ keywords: [`pizza${s}`] })],
      ['POST', '/trends/searches', (s) => ({ keywords: ['pizza'], geo: `US${s}` })],
      ['POST', '/trends/searches', (s) => ({ keywords: ['pizza'], generate: { count: 1, tone: `fun${s}`, channel: 'timeline' } })],
      ['POST', '/trends/searches', (s) => ({ keywords: ['pizza'], generate: { count: 1, tone: 'fun', channel: `x${s}` } })],
      ['POST', '/trends/watches', (s) => ({ keywords: [`pizza${s}`], every: '1d' })],
      ['POST', '/trends/watches', (s) => ({ keywords: ['pizza'], every: `1d${s}` })],
      ['POST', '/trends/watches', (s) => ({ keywords: ['pizza'], every: '1d', timezone: `UTC${s}` })],
      ['POST', '/trends/watches', (s) => ({ keywords: ['pizza'], every: '1d', generate: { count: 1, tone: `a${s}`, channel: 'b' } })],
    ];
    for (const [method, url, make] of cases) {
      for (const bad of ['\u0000', '\ud800']) {
        const response = await app().inject({
          method: 'POST',
          url,
          headers: { ...(await stack.auth.headersFor(userId)), 'content-type': 'application/json' },
          payload: JSON.stringify(make(bad)),
        });
        expect(response.statusCode, `${method} ${url} ${JSON.stringify(bad)}: ${response.body}`).toBe(400);
      }
    }
    // A query string cannot carry a lone surrogate (its bytes decode to U+FFFD), but it can carry NUL.
    for (const url of ['/trends/searches?cursor=a%00b', '/trends/watches?cursor=a%00b', '/trends/trending?geo=U%00', '/trends/searches/a%00b']) {
      const response = await inject(userId, 'GET', url);
      expect(response.statusCode, `GET ${url}: ${response.body}`).toBe(400);
    }
  });

  it('when a body is text/plain, then the answer is 415 as the README promises', async () => {
    const response = await app().inject({
      method: 'POST',
      url: '/trends/searches',
      headers: { ...(await stack.auth.headersFor(randomUUID())), 'content-type': 'text/plain' },
      payload: 'pizza',
    });

    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('answers and addresses', () => {
  it('when a user reads their searches, then the answer may not be cached anywhere', async () => {
    const response = await inject(randomUUID(), 'GET', '/trends/searches');

    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('when TRUST_PROXY says true, then trends refuses to start; by default it trusts the local gateway alone', () => {
    expect(() => loadTrendsConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(loadTrendsConfig({}).TRUST_PROXY).toEqual(['127.0.0.1']);
  });

  it('when the trending feed links to javascript: or data: URLs, then those links are dropped', () => {
    const xml = fixture('trending_rss_US.xml')
      .replace('https://www.space.com/the-universe/sun/partial-solar-eclipse-viewing-guide', 'javascript:alert(document.cookie)')
      .replace('https://www.npr.org/science/eclipse-safety-pinhole-projector', ' JaVaScRiPt:alert(1)')
      .replace('https://encrypted-tbn1.gstatic.com/images?q=tbn:ANd9GcRxxxxxxxx0001constructed', 'data:text/html;base64,PHNjcmlwdD4=');

    const [eclipse] = parseTrendingRss(xml);

    expect(eclipse?.news).toHaveLength(1);
    expect(eclipse?.news.every((news) => /^https?:\/\//.test(news.url))).toBe(true);
    expect(eclipse?.picture).toBeNull();
    expect(JSON.stringify(parseTrendingRss(xml))).not.toMatch(/javascript:|data:/i);
  });
});
