import { randomUUID } from 'node:crypto';
import { parkedOutboxAccess } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './support/service.js';

describe('trending now, health and metrics', () => {
  let stack: TestStack;
  const user = randomUUID();

  beforeAll(async () => {
    stack = await startTestStack({ env: { TRENDS_RUN_WORKER: 'false' } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const get = async (url: string, authenticated = true) =>
    stack.service.app!.inject({ method: 'GET', url, headers: authenticated ? await stack.auth.headersFor(user) : {} });

  it("when asked what is trending in the US, then Google's RSS feed is parsed into trends with their news", async () => {
    const response = await get('/trends/trending?geo=US');

    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.geo).toBe('US');
    expect(body.items[0]).toMatchObject({ title: 'eclipse', approxTraffic: '500K+', approxTrafficMin: 500_000 });
    expect(body.items[0].news[0].url).toMatch(/^https:\/\/www\.space\.com\//);
    expect(stack.fake.requestsTo('/trending/rss').at(-1)?.query.get('geo')).toBe('US');
  });

  it('when the same country is asked again soon, then the feed is served from the cache', async () => {
    await get('/trends/trending?geo=gb');
    const feedCalls = stack.fake.requestsTo('/trending/rss').length;

    const again = await get('/trends/trending?geo=GB');

    expect(again.json().geo).toBe('GB');
    expect(stack.fake.requestsTo('/trending/rss').length).toBe(feedCalls);
  });

  it('when Google answers the feed with something that is not RSS, then 502 says Google is unavailable', async () => {
    stack.fake.setTrendingFeed('FR', '<html><title>Error 500</title></html>');

    const response = await get('/trends/trending?geo=FR');

    expect(response.statusCode).toBe(502);
    expect(response.json().code).toBe('GOOGLE_UNAVAILABLE');
  });

  it('when probed, then /healthz is alive and /readyz checks PostgreSQL, Redis and RabbitMQ', async () => {
    expect((await get('/healthz', false)).json()).toEqual({ status: 'ok' });

    const ready = await get('/readyz', false);

    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok', rabbitmq: 'ok' } });
  });

  it('when scraped, then /metrics serves Prometheus text labelled with the service', async () => {
    const metrics = await get('/metrics', false);

    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('http_request_duration_seconds');
    expect(metrics.body).toContain('service="trends"');
  });

  it('when the operators\' console asks for parked outbox rows, then an admin gets the list, anyone else 403 or 401', async () => {
    expect(await parkedOutboxAccess(stack.service.app!, stack.auth)).toEqual({
      admin: { status: 200, body: { count: 0, rows: [] } },
      user: 403,
      anonymous: 401,
      replayAsUser: 403,
    });
  });
});
