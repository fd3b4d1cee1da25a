import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './support/service.js';

describe('bad input answers 400 JSON', () => {
  let stack: TestStack;
  const user = randomUUID();

  beforeAll(async () => {
    // Validation happens before any use case runs: nothing needs to be started.
    stack = await startTestStack({ start: false });
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function post(url: string, payload: unknown) {
    const app = stack.service.app;
    if (!app) throw new Error('the API is not running');
    return app.inject({ method: 'POST', url, headers: await stack.auth.headersFor(user), payload: payload as object });
  }

  const valid = { keywords: ['pizza'], geo: 'US', timeframe: 'past-7-days' };

  const badSearches: Array<[string, object, string]> = [
    ['six keywords', { ...valid, keywords: ['a', 'b', 'c', 'd', 'e', 'f'] }, 'body.keywords'],
    ['no keyword', { ...valid, keywords: [] }, 'body.keywords'],
    ['a blank keyword', { ...valid, keywords: ['  '] }, 'body.keywords.0'],
    ['a 10 kB keyword', { ...valid, keywords: ['x'.repeat(10 * 1024)] }, 'body.keywords.0'],
    ['the same keyword twice', { ...valid, keywords: ['pizza', 'Pizza'] }, 'body.keywords'],
    ['a geo that is not ISO 3166 (USA)', { ...valid, geo: 'USA' }, 'body.geo'],
    ['a geo with a bad subdivision (US-)', { ...valid, geo: 'US-' }, 'body.geo'],
    ['a geo naming no country (XX)', { ...valid, geo: 'XX' }, 'body.geo'],
    ['end before start', { keywords: ['pizza'], startTime: '2021-06-01', endTime: '2021-01-01' }, 'body.endTime'],
    ['a start before Google Trends data', { keywords: ['pizza'], startTime: '1999-01-01', endTime: '2021-01-01' }, 'body.startTime'],
    ['an end in the future', { keywords: ['pizza'], startTime: '2021-01-01', endTime: '2999-01-01' }, 'body.endTime'],
    ['a timeframe and dates together', { ...valid, startTime: '2021-01-01' }, 'body.timeframe'],
    ['an unknown timeframe', { ...valid, timeframe: 'past-decade' }, 'body.timeframe'],
    ['an unknown property', { ...valid, property: 'maps' }, 'body.property'],
    ['a negative category', { ...valid, category: -1 }, 'body.category'],
    ['an unknown field', { ...valid, keyword: 'pizza' }, 'body'],
    ['an unknown field in generate', { ...valid, generate: { count: 2, tone: 'dry', channel: 'timeline', model: 'x' } }, 'body.generate'],
    ['too many drafts', { ...valid, generate: { count: 50, tone: 'dry', channel: 'timeline' } }, 'body.generate.count'],
  ];

  it.each(badSearches)('when a search has %s, then 400 VALIDATION_FAILED names the field', async (_case, payload, path) => {
    const response = await post('/trends/searches', payload);

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/json');
    const body = response.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details.map((detail: { path: string }) => detail.path)).toContain(path);
  });

  it('when the geo is a lower-case subdivision, then it is accepted as upper case', async () => {
    const response = await post('/trends/searches', { keywords: ['pizza'], geo: 'us-ny', property: 'youtube' });

    expect(response.statusCode).toBe(202);
  });

  it('when the body is not JSON, then 400 INVALID_JSON', async () => {
    const app = stack.service.app;
    const response = await app!.inject({
      method: 'POST',
      url: '/trends/searches',
      headers: { ...(await stack.auth.headersFor(user)), 'content-type': 'application/json' },
      payload: '{"keywords": [',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('INVALID_JSON');
  });

  const badWatches: Array<[string, object]> = [
    ['every that is neither an interval nor cron', { keywords: ['pizza'], every: 'often' }],
    ['a cron pattern that does not parse', { keywords: ['pizza'], every: '61 * * * *' }],
    ['an interval below the minimum', { keywords: ['pizza'], every: '0s' }],
    ['an unknown time zone', { keywords: ['pizza'], every: '1h', timezone: 'Mars/Olympus' }],
    ['no every at all', { keywords: ['pizza'] }],
  ];

  it.each(badWatches)('when a watch has %s, then 400 VALIDATION_FAILED', async (_case, payload) => {
    const response = await post('/trends/watches', payload);

    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
  });

  it('when a validly signed token names a subject that is not a user id (UUID), then 401, not 500', async () => {
    const app = stack.service.app!;
    for (const sub of ['not-a-uuid', "x' or '1'='1"]) {
      const headers = { authorization: `Bearer ${await stack.auth.tokenFor(sub)}` };

      const response = await app.inject({ method: 'GET', url: '/trends/searches', headers });

      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('UNAUTHENTICATED');
    }
  });

  it('when the list asks for an unknown status or a forged cursor, then 400', async () => {
    const headers = await stack.auth.headersFor(user);
    const app = stack.service.app!;

    expect((await app.inject({ method: 'GET', url: '/trends/searches?status=lost', headers })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/trends/searches?cursor=bm9wZQ', headers })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/trends/trending?geo=Mars', headers })).statusCode).toBe(400);
  });
});
