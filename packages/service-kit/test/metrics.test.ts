import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../src/index.js';
import { sampleValue } from './support/prometheus-text.js';
import { buildTestApp } from './support/test-app.js';

describe('metrics', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;

  beforeAll(async () => {
    t = await buildTestApp({ metrics: createMetrics('testsvc') });
    t.app.get('/testsvc/items/:id', async (request) => ({ id: (request.params as { id: string }).id }));
    await t.app.ready();
  });

  afterAll(async () => {
    await t.app.close();
  });

  it('when messaging reports publishes, consumes and reconnects, then /metrics exposes the counters', async () => {
    const { messaging } = t.metrics;
    messaging.onPublish('users.user.registered');
    messaging.onPublish('users.user.registered');
    messaging.onConsume('trends.trend.detected', 'acked');
    messaging.onConsume('trends.trend.detected', 'retried');
    messaging.onConsume('trends.trend.detected', 'dead_lettered');
    messaging.onReconnect?.();
    messaging.onPublishFailed?.('users.user.registered');

    const response = await t.app.inject({ method: 'GET', url: '/metrics' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    const service = 'testsvc';
    expect(sampleValue(text, 'trendcast_events_published_total', { service, type: 'users.user.registered' })).toBe(2);
    for (const outcome of ['acked', 'retried', 'dead_lettered']) {
      expect(sampleValue(text, 'trendcast_events_consumed_total', { service, type: 'trends.trend.detected', outcome })).toBe(1);
    }
    expect(sampleValue(text, 'trendcast_broker_reconnects_total', { service })).toBe(1);
    expect(sampleValue(text, 'trendcast_events_publish_failed_total', { service, type: 'users.user.registered' })).toBe(1);
  });

  it('when requests are served, then their duration is recorded by route pattern, method and status', async () => {
    await t.app.inject({ method: 'GET', url: '/testsvc/items/1' });
    await t.app.inject({ method: 'GET', url: '/testsvc/items/2' });
    await t.app.inject({ method: 'GET', url: '/testsvc/unknown-thing' });

    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;

    const count = (route: string, status_code: string) =>
      sampleValue(text, 'http_request_duration_seconds_count', { service: 'testsvc', method: 'GET', route, status_code });
    expect(count('/testsvc/items/:id', '200')).toBe(2);
    expect(count('unmatched', '404')).toBe(1);
    expect(text).not.toContain('/testsvc/items/1"');
  });

  it('when default metrics are on, then process metrics are exposed', async () => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;

    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('when two services live in one process, then their registries are separate', async () => {
    const a = createMetrics('a', { defaultMetrics: false });
    const b = createMetrics('b', { defaultMetrics: false });

    a.messaging.onPublish('x.y.z');

    expect(sampleValue(await a.registry.metrics(), 'trendcast_events_published_total', { service: 'a', type: 'x.y.z' })).toBe(1);
    expect(await b.registry.metrics()).not.toContain('x.y.z');
  });
});
