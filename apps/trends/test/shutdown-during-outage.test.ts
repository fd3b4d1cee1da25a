import { randomUUID } from 'node:crypto';
import { rabbitUrlWithPort, startTcpProxy, testEnv, waitFor, type TcpProxy } from '@trendcast/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './support/service.js';

describe('shutdown while the broker is unreachable', () => {
  const shutdownTimeoutMs = 8_000;
  let proxy: TcpProxy;
  let stack: TestStack;

  beforeAll(async () => {
    // The service reaches RabbitMQ only through a proxy the test can silence.
    proxy = await startTcpProxy(Number(new URL(testEnv.rabbitUrl).port || 5672));
    stack = await startTestStack({ env: { RABBITMQ_URL: rabbitUrlWithPort(proxy.port), SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) } });
  });

  afterAll(async () => {
    proxy?.unstall();
    proxy?.resume();
    await stack?.close();
    await proxy?.close();
  });

  it('when the service stops while the broker answers nothing and an event waits in the outbox, then every step ends in its share, the database is closed and stop() resolves true within SHUTDOWN_TIMEOUT_MS', async () => {
    // Arrange: the broker goes silent (sockets open, nothing through), then a search completes and its event waits in the outbox.
    const app = stack.service.app!;
    await waitFor(async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, { what: 'ready' });
    proxy.stall();
    proxy.pause();
    const headers = await stack.auth.headersFor(randomUUID());
    const response = await app.inject({ method: 'POST', url: '/trends/searches', headers, payload: { keywords: ['pizza'], timeframe: 'past-12-months' } });
    expect(response.statusCode).toBe(202);
    const { id } = response.json() as { id: string };
    await waitFor(async () => (await app.inject({ method: 'GET', url: `/trends/searches/${id}`, headers })).json().status === 'completed', {
      what: 'the search to complete',
      timeoutMs: 20_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Act
    const began = performance.now();
    const clean = await stack.service.stop();
    const tookMs = performance.now() - began;

    // Assert
    expect(clean).toBe(true);
    expect(tookMs).toBeLessThan(shutdownTimeoutMs);
    expect(stack.service.stops.map(([name]) => name)).toEqual([
      'http', 'event consumer', 'inbox pruner', 'worker', 'reconciler', 'redis worker connection', 'outbox relay', 'rabbitmq', 'redis', 'postgres',
    ]);
    const sql = postgres(testEnv.postgresUrl, { max: 1, onnotice: () => {} });
    try {
      const [left] = await sql`select count(*)::int as connections from pg_stat_activity where datname = ${stack.db.name}`;
      expect(left!.connections).toBe(0);
    } finally {
      await sql.end();
    }
    // Nothing was marked sent without the broker's confirm: the event waits for the next start.
    const own = postgres(stack.db.url, { max: 1, onnotice: () => {} });
    try {
      const unsent = await own`select type from outbox_messages where sent_at is null`;
      expect(unsent.map((row) => row.type)).toContain('trends.search.completed');
    } finally {
      await own.end();
    }
  });
});
