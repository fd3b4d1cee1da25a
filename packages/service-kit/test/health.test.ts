import { afterEach, describe, expect, it } from 'vitest';
import { checkThat } from '../src/index.js';
import { buildTestApp } from './support/test-app.js';

describe('health endpoints', () => {
  const apps: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  async function appWith(readiness: Parameters<typeof buildTestApp>[0]) {
    const t = await buildTestApp(readiness);
    apps.push(t.app);
    return t;
  }

  it('when the process is alive, then /healthz answers 200 without checking dependencies', async () => {
    const { app } = await appWith({ readiness: { postgres: async () => Promise.reject(new Error('down')) } });

    const response = await app.inject({ method: 'GET', url: '/healthz' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('when every check passes, then /readyz answers 200 with each check ok', async () => {
    const { app } = await appWith({ readiness: { postgres: async () => 1, broker: checkThat(() => true, 'not connected') } });

    const response = await app.inject({ method: 'GET', url: '/readyz' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', broker: 'ok' } });
  });

  it('when a check fails, then /readyz answers 503 naming it with its reason', async () => {
    const { app, logs } = await appWith({
      readiness: {
        postgres: async () => 1,
        broker: checkThat(() => false, 'broker not connected'),
        redis: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
        },
      },
    });

    const response = await app.inject({ method: 'GET', url: '/readyz' });

    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'not_ready',
      checks: { postgres: 'ok', broker: 'broker not connected', redis: 'connect ECONNREFUSED 127.0.0.1:6379' },
    });
    expect(logs.lines().some((line) => line.msg === 'not ready' && line.level === 'warn')).toBe(true);
  });

  it('when a check hangs, then /readyz answers 503 once its timeout passes', async () => {
    const { app } = await appWith({
      readiness: { slow: () => new Promise(() => undefined) },
      readinessTimeoutMs: 50,
    });

    const response = await app.inject({ method: 'GET', url: '/readyz' });

    expect(response.statusCode).toBe(503);
    expect(response.json().checks).toEqual({ slow: 'timed out after 50 ms' });
  });

  it('when probes are called, then they do not add request log lines', async () => {
    const { app, logs } = await appWith({});

    await app.inject({ method: 'GET', url: '/healthz' });
    await app.inject({ method: 'GET', url: '/readyz' });

    expect(logs.lines().filter((line) => line.msg === 'incoming request')).toEqual([]);
  });
});
