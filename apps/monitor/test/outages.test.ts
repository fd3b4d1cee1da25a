import { randomUUID } from 'node:crypto';
import { rabbitUrlWithPort, startTcpProxy, testEnv, waitFor, type TcpProxy } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleOrigin, startMonitor, type MonitorHarness } from './support/service.js';

// The monitor reaches Redis and RabbitMQ through proxies this test can cut, as a network would.
let redisProxy: TcpProxy;
let rabbitProxy: TcpProxy;
let h: MonitorHarness;
let cookie: string;

beforeAll(async () => {
  redisProxy = await startTcpProxy(Number(new URL(testEnv.redisUrl).port || 6379), new URL(testEnv.redisUrl).hostname);
  rabbitProxy = await startTcpProxy(Number(new URL(testEnv.rabbitUrl).port || 5672), new URL(testEnv.rabbitUrl).hostname);
  h = await startMonitor({ env: { REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`, RABBITMQ_URL: rabbitUrlWithPort(rabbitProxy.port) } });
  cookie = await h.signInAsAdmin();
});

afterAll(async () => {
  redisProxy?.resume();
  rabbitProxy?.resume();
  await h?.close();
  await redisProxy?.close();
  await rabbitProxy?.close();
});

function cut(proxy: TcpProxy) {
  proxy.pause();
  proxy.cutAll();
}

describe('when Redis is away', () => {
  it('then the console answers 503 (sessions cannot be checked), never 500, and recovers when Redis is back', async () => {
    cut(redisProxy);
    try {
      await waitFor(async () => (await h.inject({ method: 'GET', url: '/readyz' })).statusCode === 503, { what: 'the monitor to notice' });

      const board = await h.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } });
      const signIn = await h.inject({
        method: 'POST',
        url: '/admin/queues/session',
        headers: { ...(await h.signer.headersFor(randomUUID(), 'admin')), origin: consoleOrigin },
      });

      expect(board.statusCode).toBe(503);
      expect(board.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(board.headers['retry-after']).toBe('5');
      expect(signIn.statusCode).toBe(503);
      expect(signIn.json()).toMatchObject({ code: 'SESSIONS_UNAVAILABLE' });
      expect((await h.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'not_ready', checks: { rabbitmq: 'ok' } });
    } finally {
      redisProxy.resume();
    }

    await waitFor(async () => (await h.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } })).statusCode === 200, {
      timeoutMs: 15_000,
      what: 'the console back once Redis is',
    });
  });
});

describe('when RabbitMQ is away', () => {
  it('then the dead-letter pages answer 503, a refresh counts the failure and keeps the queue gauges going', async () => {
    cut(rabbitProxy);
    try {
      await waitFor(async () => (await h.inject({ method: 'GET', url: '/readyz' })).statusCode === 503, { what: 'the monitor to notice' });

      const list = await h.inject({ method: 'GET', url: '/admin/queues/dead-letters', headers: { cookie, accept: 'text/html' } });
      await h.monitor.refresh();

      expect(list.statusCode).toBe(503);
      expect(list.json()).toMatchObject({ code: 'BROKER_UNAVAILABLE' });
      const metrics = (await h.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/trendcast_monitor_refresh_failures_total\{source="rabbitmq",service="monitor"\} [1-9]/);
      expect(metrics).not.toMatch(/trendcast_monitor_refresh_failures_total\{source="redis"/);
    } finally {
      rabbitProxy.resume();
    }
  }, 60_000);
});
