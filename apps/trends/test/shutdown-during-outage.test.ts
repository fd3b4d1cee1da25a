import { randomUUID } from 'node:crypto';
import { openConnectionsTo, sleep, startRabbitProxy, stopDuringBrokerOutage, waitFor, type RabbitProxy } from '@trendcast/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './support/service.js';

const shutdownTimeoutMs = 8_000;
let proxy: RabbitProxy;
let stack: TestStack;

beforeAll(async () => {
  // The service reaches RabbitMQ only through a proxy the test can silence.
  proxy = await startRabbitProxy();
  stack = await startTestStack({ env: { RABBITMQ_URL: proxy.url, SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) } });
});

afterAll(async () => {
  proxy?.restore();
  await stack?.close();
  await proxy?.close();
});

/** A search the worker completes while the broker is silent: its trends.search.completed waits in the outbox. */
async function completeSearch(): Promise<void> {
  const app = stack.service.app!;
  const headers = await stack.auth.headersFor(randomUUID());
  const response = await app.inject({ method: 'POST', url: '/trends/searches', headers, payload: { keywords: ['pizza'], timeframe: 'past-12-months' } });
  const { id } = response.json() as { id: string };
  await waitFor(async () => (await app.inject({ method: 'GET', url: `/trends/searches/${id}`, headers })).json().status === 'completed', {
    what: 'the search to complete',
    timeoutMs: 20_000,
  });
  await sleep(300); // the relay's batch is waiting for confirms that never come
}

describe('shutdown while the broker is unreachable', () => {
  it('when the service stops while the broker answers nothing and an event waits in the outbox, then every step ends in its share, the database is closed and stop() resolves true within SHUTDOWN_TIMEOUT_MS', async () => {
    await waitFor(() => stack.service.bus.checkReady().then(() => true), { what: 'ready' });

    const { clean, tookMs } = await stopDuringBrokerOutage(proxy, stack.service, completeSearch);

    expect(clean).toBe(true);
    expect(tookMs).toBeLessThan(shutdownTimeoutMs);
    expect(stack.service.stops.map(([name]) => name)).toEqual([
      'http', 'event consumer', 'inbox pruner', 'worker', 'reconciler', 'redis worker connection', 'outbox relay', 'rabbitmq', 'redis', 'postgres',
    ]);
    expect(await openConnectionsTo(stack.db.name)).toBe(0);
    // Nothing was marked sent without the broker's confirm: the event waits for the next start.
    const sql = postgres(stack.db.url, { max: 1, onnotice: () => {} });
    const unsent = await sql`select type from outbox_messages where sent_at is null`.finally(() => sql.end());
    expect(unsent.map((row) => row.type)).toContain('trends.search.completed');
  });
});
