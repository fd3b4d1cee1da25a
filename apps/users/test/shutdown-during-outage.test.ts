import { rabbitUrlWithPort, startTcpProxy, testEnv, waitFor, type TcpProxy } from '@trendcast/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register, startHarness, type Harness } from './support/service.js';

describe('shutdown while the broker is unreachable', () => {
  const shutdownTimeoutMs = 8_000;
  let proxy: TcpProxy;
  let h: Harness;

  beforeAll(async () => {
    // The service reaches RabbitMQ only through a proxy the test can silence.
    proxy = await startTcpProxy(Number(new URL(testEnv.rabbitUrl).port || 5672));
    h = await startHarness({ env: { RABBITMQ_URL: rabbitUrlWithPort(proxy.port), SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) } });
  });

  afterAll(async () => {
    proxy?.unstall();
    proxy?.resume();
    await h?.close();
    await proxy?.close();
  });

  it('when users stops while the broker answers nothing and a registration\'s events wait in the outbox, then stop() resolves true within SHUTDOWN_TIMEOUT_MS, its pool is closed and the events stay unsent', async () => {
    // Arrange
    await waitFor(async () => (await h.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, { what: 'ready' });
    proxy.stall();
    proxy.pause();
    await register(h);
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Act
    const began = performance.now();
    const clean = await h.service.stop();
    const tookMs = performance.now() - began;

    // Assert
    expect(clean).toBe(true);
    expect(tookMs).toBeLessThan(shutdownTimeoutMs);
    const admin = postgres(testEnv.postgresUrl, { max: 1, onnotice: () => {} });
    try {
      const [left] = await admin`select count(*)::int as connections from pg_stat_activity where datname = ${h.database.name}`;
      expect(left!.connections).toBe(0);
    } finally {
      await admin.end();
    }
    const own = postgres(h.database.url, { max: 1, onnotice: () => {} });
    try {
      const unsent = await own`select type from outbox_messages where sent_at is null`;
      expect(unsent.map((row) => row.type)).toContain('users.user.registered');
    } finally {
      await own.end();
    }
  });
});
