import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@trendcast/events';
import { sleep, waitFor } from '@trendcast/testing';
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searches } from '../src/db/schema.js';
import { createTrendsService, type TrendsService } from '../src/service.js';
import { producerExchangeName } from '@trendcast/messaging';
import { tapExchange, type EventTap } from './support/event-tap.js';
import { removeRedisKeys, startTestStack, type TestStack } from './support/service.js';

describe('watches: searches on a schedule that survive restarts and a Redis that forgets', () => {
  let stack: TestStack;
  let tap: EventTap;
  let service: TrendsService;
  const user = randomUUID();

  beforeAll(async () => {
    stack = await startTestStack();
    tap = await tapExchange(producerExchangeName('trends', stack.config.RABBITMQ_NAMESPACE), 'trends.search.completed');
    service = stack.service;
  });

  afterAll(async () => {
    await service?.stop();
    await stack?.close();
    await tap?.close();
  });

  const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    service.app!.inject({ method, url, headers: await stack.auth.headersFor(user), ...(payload ? { payload } : {}) });

  const searchesOf = (watchId: string) =>
    service.deps.db.select().from(searches).where(and(eq(searches.watchId, watchId), isNotNull(searches.id)));

  it('when a watch runs every second, then it starts searches that complete and announce themselves with the watch id', async () => {
    const created = await call('POST', '/trends/watches', {
      keywords: ['pizza', 'bagel'],
      timeframe: 'past-5-years',
      every: '1s',
      generate: { count: 1, tone: 'curious', channel: 'timeline' },
    });

    expect(created.statusCode).toBe(201);
    const watch = created.json();
    expect(watch).toMatchObject({ status: 'active', every: '1s', timezone: 'UTC', timeframe: 'past-5-years' });
    expect(watch.nextRunAt).not.toBeNull();

    const event = await tap.waitFor(
      (e): e is DomainEvent<'trends.search.completed'> => e.type === 'trends.search.completed' && e.data.watchId === watch.id,
    );
    expect(event.data).toMatchObject({ userId: user, keywords: ['pizza', 'bagel'], generate: { count: 1, tone: 'curious', channel: 'timeline' } });
    await waitFor(async () => (await searchesOf(watch.id)).length >= 2, { timeoutMs: 10_000, what: 'a second run' });
    const shown = (await call('GET', `/trends/watches/${watch.id}`)).json();
    expect(shown.lastRunAt).not.toBeNull();
    expect(shown.lastSearchId).not.toBeNull();
  });

  it('when a watch is paused, then its scheduler is gone and no run follows; resumed, it runs again', async () => {
    const watch = (await call('POST', '/trends/watches', { keywords: ['pizza'], timeframe: 'past-12-months', every: '1s' })).json();
    await waitFor(async () => (await searchesOf(watch.id)).length >= 1, { timeoutMs: 10_000, what: 'a first run' });

    const paused = await call('POST', `/trends/watches/${watch.id}/pause`);

    expect(paused.json()).toMatchObject({ status: 'paused', nextRunAt: null });
    expect((await service.deps.queue.scheduledWatchIds()).has(watch.id)).toBe(false);
    const runsWhenPaused = (await searchesOf(watch.id)).length;
    await sleep(2_500);
    expect((await searchesOf(watch.id)).length).toBe(runsWhenPaused);

    const resumed = await call('POST', `/trends/watches/${watch.id}/resume`);

    expect(resumed.json().status).toBe('active');
    await waitFor(async () => (await searchesOf(watch.id)).length > runsWhenPaused, { timeoutMs: 10_000, what: 'a run after resume' });
  });

  it('when the service restarts after Redis lost everything, then schedulers and pending searches come back from the database', async () => {
    const watch = (await call('POST', '/trends/watches', { keywords: ['bagel'], timeframe: 'past-30-days', every: '1s' })).json();
    await waitFor(async () => (await searchesOf(watch.id)).length >= 1, { timeoutMs: 10_000, what: 'a first run' });

    // Stop the service, queue a search while no worker runs, then lose every key the service had in Redis.
    const runsBefore = (await searchesOf(watch.id)).length;
    await service.stop();
    service = await createTrendsService({ ...stack.config, TRENDS_RUN_WORKER: false }, { accessTokenKeys: stack.auth.keys });
    await service.start();
    const stuck = (await call('POST', '/trends/searches', { keywords: ['pizza', 'bagel'], startTime: '2021-01-01', endTime: '2021-01-04' })).json();
    await service.stop();
    await removeRedisKeys(stack.config.TRENDS_REDIS_PREFIX);
    expect(stuck.status).toBe('queued');

    service = await createTrendsService(stack.config, { accessTokenKeys: stack.auth.keys });
    await service.start();

    await waitFor(async () => (await service.deps.queue.scheduledWatchIds()).has(watch.id), { timeoutMs: 10_000, what: 'the scheduler back' });
    await waitFor(async () => (await searchesOf(watch.id)).length > runsBefore, { timeoutMs: 10_000, what: 'a run after the restart' });
    const search = await waitFor(
      async () => {
        const body = (await call('GET', `/trends/searches/${stuck.id}`)).json();
        return body.status === 'completed' ? body : undefined;
      },
      { timeoutMs: 15_000, what: 'the pending search to complete' },
    );
    expect(search.results.interestOverTime.points.length).toBeGreaterThan(0);
  });

  it('when a watch is deleted, then it and its scheduler are gone', async () => {
    const watch = (await call('POST', '/trends/watches', { keywords: ['pizza'], every: '1h' })).json();

    const deleted = await call('DELETE', `/trends/watches/${watch.id}`);

    expect(deleted.statusCode).toBe(204);
    expect((await call('GET', `/trends/watches/${watch.id}`)).statusCode).toBe(404);
    expect((await service.deps.queue.scheduledWatchIds()).has(watch.id)).toBe(false);
    const listed = (await call('GET', '/trends/watches')).json();
    expect(listed.items.map((w: { id: string }) => w.id)).not.toContain(watch.id);
  });

  it("when another user touches someone's watch, then it is not found", async () => {
    const watch = (await call('POST', '/trends/watches', { keywords: ['pizza'], every: '0 9 * * 1-5', timezone: 'Europe/Paris' })).json();
    const stranger = await stack.auth.headersFor(randomUUID());

    for (const [method, url] of [['GET', ''], ['POST', '/pause'], ['DELETE', '']] as const) {
      const response = await service.app!.inject({ method, url: `/trends/watches/${watch.id}${url}`, headers: stranger });
      expect(response.statusCode).toBe(404);
    }
    expect(watch.nextRunAt).toMatch(/T0[78]:00:00.000Z$/);
  });
});
