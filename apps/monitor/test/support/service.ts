import { randomUUID } from 'node:crypto';
import { createTestTokenSigner, testEnv, uniqueName, type TestTokenSigner } from '@trendcast/testing';
import { localKeys } from '@trendcast/service-kit';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { loadMonitorConfig, type MonitorConfig } from '../../src/config.js';
import { createMonitorService, type MonitorService } from '../../src/service.js';

/** The origin of the console's own pages in these tests (PUBLIC_BASE_URL). */
export const consoleOrigin = 'https://console.trendcast.test';

export interface MonitorHarness {
  monitor: MonitorService;
  config: MonitorConfig;
  signer: TestTokenSigner;
  /** This run's BullMQ prefixes (the first is the primary one) and RabbitMQ namespace. */
  prefixes: string[];
  namespace: string;
  /** A consumer service name of this run, listed in MONITOR_EVENT_CONSUMERS. */
  consumer: string;
  /** A Redis connection of the test's own, for queues and workers as the services would have them. */
  redis: Redis;
  /** The clock the monitor reads; tests move it. */
  clock: { now: Date };
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Opens a session as an admin (through POST /admin/queues/session) and returns its cookie header value. */
  signInAsAdmin(userId?: string): Promise<string>;
  close(): Promise<void>;
}

/** The session cookie's `name=value` from a response, or undefined. */
export function sessionCookieOf(response: LightMyRequestResponse): string | undefined {
  const header = response.headers['set-cookie'];
  const cookies = Array.isArray(header) ? header : header ? [header] : [];
  return cookies.find((cookie) => cookie.startsWith('trendcast_console='))?.split(';')[0];
}

/**
 * The monitor as main.ts wires it (service.ts), in this process against the real Redis and
 * RabbitMQ, isolated from every other run: BullMQ prefixes, session keys and a RabbitMQ namespace of
 * its own. Tokens are signed by a local key the monitor trusts instead of the users service's JWKS.
 */
export async function startMonitor(o: { env?: Record<string, string>; signer?: TestTokenSigner } = {}): Promise<MonitorHarness> {
  const run = uniqueName('mon');
  const prefixes = [`${run}_bull`, `${run}_other`];
  const consumer = `${run}_svc`;
  const signer = o.signer ?? (await createTestTokenSigner());
  const clock = { now: new Date() };
  const config = loadMonitorConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    REDIS_URL: testEnv.redisUrl,
    RABBITMQ_URL: testEnv.rabbitUrl,
    RABBITMQ_NAMESPACE: run,
    PUBLIC_BASE_URL: consoleOrigin,
    MONITOR_REDIS_KEY_PREFIX: `${run}:monitor:`,
    MONITOR_BULLMQ_PREFIXES: prefixes.join(','),
    MONITOR_EVENT_CONSUMERS: consumer,
    // Refreshes are triggered by the tests (monitor.refresh()); the loop stays out of their way.
    MONITOR_REFRESH_INTERVAL_MS: '600000',
    ...o.env,
  });
  const monitor = await createMonitorService(config, { accessTokenKeys: localKeys([signer.publicJwk]), now: () => clock.now });
  await monitor.start();
  const redis = new Redis(testEnv.redisUrl, { maxRetriesPerRequest: null });
  const inject = (options: InjectOptions) => monitor.app.inject(options);

  return {
    monitor,
    config,
    signer,
    prefixes,
    namespace: run,
    consumer,
    redis,
    clock,
    inject,
    async signInAsAdmin(userId = randomUUID()) {
      const response = await inject({
        method: 'POST',
        url: '/admin/queues/session',
        headers: { ...(await signer.headersFor(userId, 'admin')), origin: consoleOrigin },
      });
      const cookie = sessionCookieOf(response);
      if (response.statusCode !== 204 || !cookie) throw new Error(`admin sign-in failed: ${response.statusCode} ${response.body}`);
      return cookie;
    },
    async close() {
      await monitor.stop();
      try {
        // Every key of this run (BullMQ prefixes, sessions) starts with its name; never FLUSHALL a shared Redis.
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${run}*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}
