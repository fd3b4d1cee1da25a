import { testEnv, uniqueName } from '@trendcast/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GoogleTrendsClient } from '../src/integrations/google/google-trends-client.js';
import { GoogleTrendsError } from '../src/integrations/google/google-trends-error.js';
import type { TrendsQuery } from '../src/integrations/google/trends-query.js';
import { RedisRequestGate } from '../src/data/redis-request-gate.js';
import { FakeGoogleTrends } from './fake-google/fake-google-trends.js';

const pizzaBagelFirstWeek: TrendsQuery = {
  keywords: ['pizza', 'bagel'],
  geo: '',
  startTime: new Date('2021-01-01T00:00:00Z'),
  endTime: new Date('2021-01-05T00:00:00Z'),
  category: 0,
  property: 'web',
};

async function failureOf(call: Promise<unknown>): Promise<GoogleTrendsError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GoogleTrendsError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('GoogleTrendsClient against the fake Google Trends', () => {
  let redis: Redis;
  let fake: FakeGoogleTrends;
  let client: GoogleTrendsClient;

  beforeAll(async () => {
    redis = new Redis(testEnv.redisUrl);
    fake = await new FakeGoogleTrends().start();
    const gate = new RedisRequestGate({ redis, key: uniqueName('gate'), maxConcurrent: 1, minIntervalMs: 0, leaseMs: 10_000 });
    client = new GoogleTrendsClient({ gate, timeoutMs: 1_500, origin: fake.origin });
  });

  afterEach(() => {
    fake.failAlways(null).delayAnswers(0);
  });

  afterAll(async () => {
    await fake.close();
    redis.disconnect();
  });

  it('when asked for interest over time, then it goes explore → widget token → multiline and returns the recorded series', async () => {
    const before = fake.requests.length;

    const series = await client.interestOverTime(pizzaBagelFirstWeek);

    expect(series.points.map((point) => point.values)).toEqual([[100, 2], [83, 2], [78, 2], [49, 1], [50, 1]]);
    const seen = fake.requests.slice(before);
    expect(seen.map((request) => request.path)).toEqual(['/trends/api/explore', '/trends/api/widgetdata/multiline']);
    expect(seen[1]?.query.get('token')).toMatch(/^APP6_/);
  });

  it('when the query is sent, then the agent does not leak into Google\'s req parameter', async () => {
    const before = fake.requests.length;

    await client.interestOverTime(pizzaBagelFirstWeek);

    const req = fake.requests[before]?.query.get('req') ?? '';
    expect(JSON.parse(req).comparisonItem[0]).toMatchObject({ keyword: 'pizza', geo: '', category: 0, property: '' });
    expect(req).not.toContain('agent');
  });

  it('when Google answers 429 with a NID cookie once, then the library retries with the cookie and the call succeeds', async () => {
    fake.failNext('rate-limit', 'explore');
    const before = fake.requests.length;

    const series = await client.interestOverTime(pizzaBagelFirstWeek);

    expect(series.points).toHaveLength(5);
    const [limited, retried] = fake.requests.slice(before);
    expect(limited?.status).toBe(429);
    expect(retried?.cookie).toMatch(/^NID=511=/);
    expect(retried?.status).toBe(200);
  });

  it('when Google keeps answering 429, then the call fails as retryable rate_limited with status 429', async () => {
    fake.failAlways('rate-limit');

    const failure = await failureOf(client.relatedQueries({ ...pizzaBagelFirstWeek, keywords: ['pizza'] }, 'pizza'));

    expect(failure.kind).toBe('rate_limited');
    expect(failure.retryable).toBe(true);
    expect(failure.details.status).toBe(429);
  });

  it('when widget data is answered with the HTML 404 page, then the failure is html_page (the library resolved with that HTML)', async () => {
    fake.failNext('html-404', 'widgetdata');

    const failure = await failureOf(client.interestOverTime(pizzaBagelFirstWeek));

    expect(failure.kind).toBe('html_page');
    expect(failure.details.status).toBe(404);
    expect(failure.reason).toContain('Error 404 (Not Found)');
  });

  it('when the explore answer is cut short, then the failure is not_json and retryable', async () => {
    fake.failNext('truncated', 'explore');

    const failure = await failureOf(client.interestOverTime(pizzaBagelFirstWeek));

    expect(failure.kind).toBe('not_json');
    expect(failure.retryable).toBe(true);
  });

  it('when the widget data is cut short, then the failure is not_json too', async () => {
    fake.failNext('truncated', 'widgetdata');

    expect((await failureOf(client.interestOverTime(pizzaBagelFirstWeek))).kind).toBe('not_json');
  });

  it('when the body is not JSON or empty, then the failures say so', async () => {
    fake.failNext('not-json', 'widgetdata');
    expect((await failureOf(client.interestOverTime(pizzaBagelFirstWeek))).kind).toBe('not_json');

    fake.failNext('empty', 'widgetdata');
    expect((await failureOf(client.interestOverTime(pizzaBagelFirstWeek))).kind).toBe('empty_body');
  });

  it('when the connection drops, then the failure is a retryable network error', async () => {
    fake.failNext('reset', 'explore');

    const failure = await failureOf(client.interestOverTime(pizzaBagelFirstWeek));

    expect(failure.kind).toBe('network');
    expect(failure.retryable).toBe(true);
  });

  it('when Google does not answer in time, then the call gives up with a timeout', async () => {
    fake.delayAnswers(5_000, 'widgetdata');

    const failure = await failureOf(client.interestOverTime(pizzaBagelFirstWeek));

    expect(failure.kind).toBe('timeout');
  });

  it('when a keyword has no data, then the failure is no_data', async () => {
    const failure = await failureOf(client.interestOverTime({ ...pizzaBagelFirstWeek, keywords: ['qwxzvbnm'] }));

    expect(failure.kind).toBe('no_data');
  });

  it('when related queries and topics are asked per keyword, then each keyword gets its own recorded lists', async () => {
    const year: TrendsQuery = { ...pizzaBagelFirstWeek, startTime: new Date('2021-01-01'), endTime: new Date('2021-12-31') };

    const bagel = await client.relatedQueries(year, 'bagel');
    const topics = await client.relatedTopics(year, 'pizza');
    const regions = await client.interestByRegion(year);

    expect(bagel.top[0]?.query).toBe('the bagel');
    expect(topics.top[0]?.title).toBe('Pizza');
    expect(regions.regions.find((region) => region.code === 'US')?.values).toEqual([97, 3]);
  });

  it('when Google wants its NID cookie first (a new client), then the 429 hands one out and every later call carries it', async () => {
    const strict = await new FakeGoogleTrends({ requireCookie: true }).start();
    try {
      const gate = new RedisRequestGate({ redis, key: uniqueName('gate'), maxConcurrent: 1, minIntervalMs: 0, leaseMs: 10_000 });
      const fresh = new GoogleTrendsClient({ gate, timeoutMs: 1_500, origin: strict.origin });

      await fresh.interestOverTime(pizzaBagelFirstWeek);
      await fresh.relatedQueries(pizzaBagelFirstWeek, 'pizza');

      const [refused, ...accepted] = strict.requests;
      expect(refused?.status).toBe(429);
      expect(accepted.map((request) => request.status)).toEqual([200, 200, 200, 200]);
      expect(new Set(accepted.map((request) => request.cookie)).size).toBe(1);
    } finally {
      await strict.close();
    }
  });
});
