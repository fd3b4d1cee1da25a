import { randomUUID } from 'node:crypto';
import { createEvent, type DomainEvent } from '@trendcast/events';
import { waitFor, parkedOutboxAccess } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchEvents, sendEvent, type CaughtEvents } from '../support/events.js';
import { startThinker, type ThinkerStack } from '../support/service.js';

const negativeText = 'This is awful. I hate it, a terrible disaster and the worst pizza ever.';

describe('the drafts API (real PostgreSQL, Redis, RabbitMQ; offline generation)', () => {
  let stack: ThinkerStack;
  let out: CaughtEvents;

  beforeAll(async () => {
    stack = await startThinker({ env: { USER_MAX_GENERATIONS_IN_FLIGHT: '3' } });
    out = await catchEvents(stack.exchangeOf('thinker'));
  });

  afterAll(async () => {
    await out?.close();
    await stack?.close();
  });

  const call = async (userId: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    stack.service.app!.inject({ method, url, headers: await stack.signer.headersFor(userId), ...(payload === undefined ? {} : { payload: payload as object }) });

  async function generated(userId: string, body: object = { topic: 'sourdough pizza night', count: 3 }) {
    const accepted = await call(userId, 'POST', '/thinker/generations', body);
    expect(accepted.statusCode).toBe(202);
    const { id, status, statusUrl } = accepted.json();
    expect(status).toBe('queued');
    expect(statusUrl).toBe(`https://app.trendcast.test/api/thinker/generations/${id}`);
    expect(accepted.headers.location).toBe(statusUrl);
    return waitFor(
      async () => {
        const body = (await call(userId, 'GET', `/thinker/generations/${id}`)).json();
        return body.status === 'completed' || body.status === 'failed' ? body : undefined;
      },
      { what: `generation ${id} to finish` },
    );
  }

  it('when a topic is asked for, then the generation completes with scored drafts in the shape the web app reads', async () => {
    const user = randomUUID();
    const generation = await generated(user, { topic: 'sourdough pizza night', count: 4, tone: 'enthusiastic', channel: 'timeline' });
    expect(generation).toMatchObject({ status: 'completed', topic: 'sourdough pizza night', trendSearchId: null, count: 4, tone: 'enthusiastic', channel: 'timeline', model: 'offline', reason: null });
    expect(generation.drafts).toHaveLength(4);
    for (const draft of generation.drafts) {
      expect(draft).toMatchObject({ generationId: generation.id, channel: 'timeline', status: 'draft', model: 'offline', channelId: null, publishAt: null, publishedUrl: null });
      expect(draft.sentiment).toMatchObject({ label: expect.stringMatching(/^(negative|neutral|positive)$/), model: expect.stringMatching(/^offline-linear@/) });
      expect(draft.text.length).toBeGreaterThan(0);
    }
    const listed = (await call(user, 'GET', '/thinker/generations')).json();
    expect(listed.items.map((g: { id: string }) => g.id)).toContain(generation.id);
  });

  it('when drafts are listed, then they page by cursor and filter by generation, status and sentiment', async () => {
    const user = randomUUID();
    const first = await generated(user, { topic: 'tacos', count: 3 });
    const second = await generated(user, { topic: 'ramen', count: 2 });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (await call(user, 'GET', `/thinker/drafts?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((d: { id: string }) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);

    const ofFirst = (await call(user, 'GET', `/thinker/drafts?generationId=${first.id}`)).json();
    expect(ofFirst.items.map((d: { id: string }) => d.id).sort()).toEqual(first.drafts.map((d: { id: string }) => d.id).sort());
    await call(user, 'POST', `/thinker/drafts/${second.drafts[0].id}/reject`);
    const rejected = (await call(user, 'GET', '/thinker/drafts?status=rejected')).json();
    expect(rejected.items.map((d: { id: string }) => d.id)).toEqual([second.drafts[0].id]);
    await call(user, 'PATCH', `/thinker/drafts/${second.drafts[1].id}`, { text: negativeText });
    const negative = (await call(user, 'GET', '/thinker/drafts?sentiment=negative')).json();
    expect(negative.items.map((d: { id: string }) => d.id)).toContain(second.drafts[1].id);
    expect(negative.items.every((d: { sentiment: { label: string } }) => d.sentiment.label === 'negative')).toBe(true);
    expect((await call(user, 'GET', '/thinker/drafts?cursor=not-ours')).statusCode).toBe(400);
  });

  it('when a draft is edited, then it is scored again; once approved it can no longer be edited', async () => {
    const user = randomUUID();
    const [draft] = (await generated(user)).drafts;
    const edited = await call(user, 'PATCH', `/thinker/drafts/${draft.id}`, { text: 'Fresh pizza everywhere today, love it!' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ text: 'Fresh pizza everywhere today, love it!', sentiment: { label: 'positive' } });
    const negative = (await call(user, 'PATCH', `/thinker/drafts/${draft.id}`, { text: negativeText })).json();
    expect(negative.sentiment.label).toBe('negative');
    expect(negative.sentiment.score).toBeLessThan(-0.5);

    const tooLong = await call(user, 'PATCH', `/thinker/drafts/${draft.id}`, { text: 'pizza '.repeat(100) });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.json().code).toBe('DRAFT_TOO_LONG');

    await call(user, 'PATCH', `/thinker/drafts/${draft.id}`, { text: 'A calm note about pizza.' });
    expect((await call(user, 'POST', `/thinker/drafts/${draft.id}/approve`, { channelId: randomUUID() })).statusCode).toBe(200);
    const late = await call(user, 'PATCH', `/thinker/drafts/${draft.id}`, { text: 'Changed my mind' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('DRAFT_NOT_EDITABLE');
  });

  it('when a draft is approved, then thinker.draft.approved goes out with its text, channel, time and score', async () => {
    const user = randomUUID();
    const [draft] = (await generated(user)).drafts;
    const channelId = randomUUID();
    const publishAt = '2030-01-02T03:04:05.000Z';
    const approved = await call(user, 'POST', `/thinker/drafts/${draft.id}/approve`, { channelId, publishAt });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', channelId, publishAt });
    const event = (await out.next(
      (e) => e.type === 'thinker.draft.approved' && (e as DomainEvent<'thinker.draft.approved'>).data.draftId === draft.id,
      'thinker.draft.approved',
    )) as DomainEvent<'thinker.draft.approved'>;
    expect(event.data).toEqual({
      draftId: draft.id,
      userId: user,
      text: draft.text,
      channelId,
      publishAt,
      sentiment: { label: draft.sentiment.label, score: draft.sentiment.score, scorer: draft.sentiment.model },
    });
    // Approving twice is refused, and nothing more goes out.
    expect((await call(user, 'POST', `/thinker/drafts/${draft.id}/approve`, { channelId })).statusCode).toBe(409);
  });

  it('when a draft scored clearly negative is approved without override, then 409 NEGATIVE_SENTIMENT; with override it is approved', async () => {
    const user = randomUUID();
    const [draft] = (await generated(user)).drafts;
    await call(user, 'PATCH', `/thinker/drafts/${draft.id}`, { text: negativeText });
    const refused = await call(user, 'POST', `/thinker/drafts/${draft.id}/approve`, { channelId: randomUUID() });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'NEGATIVE_SENTIMENT', details: { threshold: -0.5 } });
    expect((await call(user, 'GET', `/thinker/drafts/${draft.id}`)).json().status).toBe('draft');
    const approved = await call(user, 'POST', `/thinker/drafts/${draft.id}/approve`, { channelId: randomUUID(), override: true });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().status).toBe('approved');
  });

  it('when tweeter.post.published names an approved draft, then the draft is published with its URL', async () => {
    const user = randomUUID();
    const [draft] = (await generated(user)).drafts;
    const channelId = randomUUID();
    await call(user, 'POST', `/thinker/drafts/${draft.id}/approve`, { channelId });
    const url = 'https://mastodon.example/@me/1';
    await sendEvent(
      stack.exchangeOf('tweeter'),
      createEvent('tweeter.post.published', { postId: randomUUID(), userId: user, draftId: draft.id, channel: 'mastodon', url, publishedAt: new Date().toISOString() }, { source: 'tweeter', correlationId: randomUUID() }),
    );
    const published = await waitFor(
      async () => {
        const body = (await call(user, 'GET', `/thinker/drafts/${draft.id}`)).json();
        return body.status === 'published' ? body : undefined;
      },
      { what: 'the draft published' },
    );
    expect(published.publishedUrl).toBe(url);
  });

  it('when someone else’s draft or generation is asked for, then 404 as if it did not exist', async () => {
    const owner = randomUUID();
    const generation = await generated(owner);
    const [draft] = generation.drafts;
    const stranger = randomUUID();
    for (const [method, url, payload] of [
      ['GET', `/thinker/generations/${generation.id}`],
      ['GET', `/thinker/drafts/${draft.id}`],
      ['PATCH', `/thinker/drafts/${draft.id}`, { text: 'mine now' }],
      ['POST', `/thinker/drafts/${draft.id}/approve`, { channelId: randomUUID(), override: true }],
      ['POST', `/thinker/drafts/${draft.id}/reject`],
      ['GET', '/thinker/drafts/not-a-uuid'],
    ] as const) {
      const response = await call(stranger, method, url, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().code).toBe('NOT_FOUND');
    }
    expect((await call(stranger, 'GET', `/thinker/drafts?generationId=${generation.id}`)).json().items).toEqual([]);
    expect((await call(owner, 'GET', `/thinker/drafts/${draft.id}`)).json().status).toBe('draft');
  });

  it('when the input is bad, then 4xx JSON, never 500', async () => {
    const user = randomUUID();
    const cases: Array<[string, object]> = [
      ['11 drafts', { topic: 'pizza', count: 11 }],
      ['0 drafts', { topic: 'pizza', count: 0 }],
      ['empty topic', { topic: '' }],
      ['blank topic', { topic: '   ' }],
      ['10 kB topic', { topic: 'x'.repeat(10_000) }],
      ['unknown channel kind', { topic: 'pizza', channel: 'fax' }],
      ['unknown tone', { topic: 'pizza', tone: 'angry' }],
      ['neither topic nor search', { count: 2 }],
      ['both topic and search', { topic: 'pizza', trendSearchId: randomUUID() }],
      ['unknown field', { topic: 'pizza', extra: true }],
      ['NUL in topic', { topic: 'piz\u0000za' }],
      ['bidi override in topic', { topic: 'pizza \u202Eevil' }],
      ['unknown language', { topic: 'pizza', language: 'xx-notalanguage' }],
    ];
    for (const [what, payload] of cases) {
      const response = await call(user, 'POST', '/thinker/generations', payload);
      expect(response.statusCode, what).toBe(400);
      expect(response.headers['content-type'], what).toContain('application/json');
    }
    const [draft] = (await generated(user)).drafts;
    expect((await call(user, 'PATCH', `/thinker/drafts/${draft.id}`, { text: '' })).statusCode).toBe(400);
    expect((await call(user, 'POST', `/thinker/drafts/${draft.id}/approve`, { channelId: 'nope' })).statusCode).toBe(400);
    expect((await call(user, 'POST', `/thinker/drafts/${draft.id}/approve`, { channelId: randomUUID(), publishAt: 'tomorrow' })).statusCode).toBe(400);
    expect((await call(user, 'POST', '/thinker/sentiment', { texts: [] })).statusCode).toBe(400);
    expect((await call(user, 'POST', '/thinker/sentiment', { texts: Array.from({ length: 101 }, () => 'hi') })).statusCode).toBe(400);
    expect((await call(user, 'GET', '/thinker/drafts?status=lost')).statusCode).toBe(400);
    expect((await stack.service.app!.inject({ method: 'GET', url: '/thinker/drafts' })).statusCode).toBe(401);
  });

  it('when a user has as many generations in flight as allowed, then one more is 429 with Retry-After', async () => {
    const user = randomUUID();
    // A stack without the worker, so what is queued stays queued.
    const paused = await startThinker({ env: { USER_MAX_GENERATIONS_IN_FLIGHT: '2', THINKER_RUN_WORKER: 'false' } });
    try {
      const post = async () =>
        paused.service.app!.inject({ method: 'POST', url: '/thinker/generations', headers: await paused.signer.headersFor(user), payload: { topic: 'pizza' } });
      expect((await post()).statusCode).toBe(202);
      expect((await post()).statusCode).toBe(202);
      const third = await post();
      expect(third.statusCode).toBe(429);
      expect(third.json().code).toBe('TOO_MANY_GENERATIONS_IN_FLIGHT');
      expect(third.headers['retry-after']).toBeDefined();
    } finally {
      await paused.close();
    }
  });

  it('when texts are sent to /thinker/sentiment, then each gets a label, score, confidence and model, in order', async () => {
    const response = await call(randomUUID(), 'POST', '/thinker/sentiment', { texts: [negativeText, 'Fresh pizza everywhere today, love it!', ''] });
    expect(response.statusCode).toBe(200);
    const { results } = response.json();
    expect(results.map((r: { label: string }) => r.label)).toEqual(['negative', 'positive', 'neutral']);
    for (const result of results) {
      expect(result.score).toBeGreaterThanOrEqual(-1);
      expect(result.confidence).toBeLessThanOrEqual(1);
      expect(result.model).toMatch(/^offline-linear@/);
    }
  });

  it('when the models are listed without Ollama configured, then offline is the default and the only one', async () => {
    const response = await call(randomUUID(), 'GET', '/thinker/models');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ default: 'offline', models: [{ name: 'offline', source: 'offline' }] });
  });

  it('when the operators\' console asks for parked outbox rows, then an admin gets the list, anyone else 403 or 401', async () => {
    expect(await parkedOutboxAccess(stack.service.app!, stack.signer)).toEqual({
      admin: { status: 200, body: { count: 0, rows: [] } },
      user: 403,
      anonymous: 401,
      replayAsUser: 403,
    });
  });
});
