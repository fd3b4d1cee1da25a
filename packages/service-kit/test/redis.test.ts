import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { testEnv, uniqueName, waitFor } from '@trendcast/testing';
import { describe, expect, it } from 'vitest';
import { closeRedis, createLogger, createRedis } from '../src/index.js';
import { captureLogs } from './support/log-capture.js';

/** A TCP port that accepts and drops every connection, standing in for a Redis that is down. */
async function deadRedis(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `redis://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('createRedis', () => {
  it('when a commands connection is used, then it works against the real Redis and closes cleanly', async () => {
    const logs = captureLogs();
    const redis = createRedis({ url: testEnv.redisUrl, purpose: 'commands', name: 'test', logger: createLogger({ service: 'svc', destination: logs.stream }) });
    const key = uniqueName('kit_redis');
    await redis.connect();

    await redis.set(key, 'v', 'PX', 10_000);

    expect(await redis.get(key)).toBe('v');
    await redis.del(key);
    await closeRedis(redis);
    await waitFor(() => redis.status === 'end', { what: 'the connection closed' });
  });

  it('when Redis is unreachable, then a command fails at once and the outage is logged once, not per retry', async () => {
    const dead = await deadRedis();
    const logs = captureLogs();
    const redis = createRedis({ url: dead.url, purpose: 'commands', name: 'cache', logger: createLogger({ service: 'svc', destination: logs.stream }) });
    await redis.connect().catch(() => undefined);

    await expect(redis.get('anything')).rejects.toThrow();
    await waitFor(() => logs.lines().length > 0, { what: 'the outage logged' });
    // Reconnection attempts go on meanwhile; none of them logs again.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const warnings = logs.lines().filter((line) => line.msg === 'redis connection lost; reconnecting');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', redis: 'cache' });
    await closeRedis(redis);
    await dead.close();
  });

  it('when it is a blocking (worker) connection, then commands are never given up on', () => {
    const redis = createRedis({ url: testEnv.redisUrl, purpose: 'blocking', name: 'worker', logger: createLogger({ service: 'svc', level: 'silent' }) });

    expect(redis.options.maxRetriesPerRequest).toBeNull();
    expect(redis.options.lazyConnect).toBe(true);
    redis.disconnect();
  });
});
