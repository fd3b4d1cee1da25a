import { describe, expect, it } from 'vitest';
import { createLogger, defineService } from '../src/index.js';
import { captureLogs } from './support/log-capture.js';
import { buildTestApp } from './support/test-app.js';

const config = (shutdownTimeoutMs: number) => ({ HOST: '127.0.0.1', PORT: 0, SHUTDOWN_TIMEOUT_MS: shutdownTimeoutMs });

describe('defineService', () => {
  it('when started with listen, then it starts its parts first and then serves HTTP; stop closes HTTP first', async () => {
    const { app, logger } = await buildTestApp();
    const order: string[] = [];
    const service = defineService({
      app,
      logger,
      config: config(5_000),
      start: async () => {
        order.push('parts started');
      },
      stops: [['pool', async () => void order.push('pool closed')]],
    });

    await service.start({ listen: true });
    order.push(app.server.listening ? 'listening' : 'not listening');
    const clean = await service.stop();

    expect(clean).toBe(true);
    expect(order).toEqual(['parts started', 'listening', 'pool closed']);
    expect(service.stops.map(([name]) => name)).toEqual(['http', 'pool']);
    expect(app.server.listening).toBe(false);
  });

  it('when a request outlasts HTTP\'s share of SHUTDOWN_TIMEOUT_MS, then stop() goes on to the next steps and ends clean within the budget', async () => {
    const { app, logger } = await buildTestApp();
    app.post('/testsvc/slow', async () => new Promise((resolve) => setTimeout(() => resolve({ done: true }), 10_000).unref()));
    const order: string[] = [];
    const service = defineService({
      app,
      logger,
      config: config(2_000),
      start: async () => undefined,
      stops: [['pool', async () => void order.push('pool closed')]],
    });
    await service.start({ listen: true });
    const { port } = app.server.address() as { port: number };
    const request = fetch(`http://127.0.0.1:${port}/testsvc/slow`, { method: 'POST' }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const began = performance.now();

    const clean = await service.stop();

    expect(clean).toBe(true);
    expect(order).toEqual(['pool closed']);
    expect(performance.now() - began).toBeLessThan(2_000);
    void request;
  });

  it('when a stop hangs, then stop() gives up within SHUTDOWN_TIMEOUT_MS and says it was not clean', async () => {
    const logs = captureLogs();
    const logger = createLogger({ service: 'svc', destination: logs.stream });
    const service = defineService({
      logger,
      config: config(200),
      start: async () => undefined,
      stops: [['stuck pool', () => new Promise<void>(() => undefined)]],
    });
    const began = performance.now();

    const clean = await service.stop();

    expect(clean).toBe(false);
    expect(performance.now() - began).toBeLessThan(2_000);
    expect(logs.lines().find((line) => line.msg === 'shutdown timed out while stopping stuck pool')).toBeDefined();
  });
});
