import { describeError, type Logger } from '@trendcast/core';
import { Redis } from 'ioredis';

/**
 * What a connection is for, which decides how it behaves while Redis is away:
 * - `commands`: request paths, queue producers, caches, projections. A command fails at once
 *   (no offline queue, one retry) so a request answers 503 fast instead of hanging; PostgreSQL
 *   stays the source of truth and reconcilers catch up.
 * - `blocking`: a BullMQ worker's connection. It blocks on Redis and must never give up a
 *   command (BullMQ requires `maxRetriesPerRequest: null`).
 */
export type RedisPurpose = 'commands' | 'blocking';

export interface CreateRedisOptions {
  url: string;
  purpose: RedisPurpose;
  /** Names the connection in logs, e.g. "redis" or "redis-worker". */
  name: string;
  logger: Logger;
}

/**
 * A Redis connection with the one error policy every service follows: it does not connect until
 * `connect()` (the service's start decides whether to wait for it), reconnects by itself forever,
 * and logs a lost connection once as a warning and its return once, never an error per retry and
 * never nothing at all. An `error` event without a listener would crash the process; this is it.
 */
export function createRedis(o: CreateRedisOptions): Redis {
  const redis = new Redis(o.url, {
    lazyConnect: true,
    connectionName: o.name,
    ...(o.purpose === 'blocking' ? { maxRetriesPerRequest: null } : { enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
  });
  const logger = o.logger.child({ redis: o.name });
  let down = false;
  redis.on('error', (error: unknown) => {
    if (down) return;
    down = true;
    logger.warn({ err: describeError(error) }, 'redis connection lost; reconnecting');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('redis connection back');
  });
  return redis;
}

/** A shutdown step: quit when connected (waits for replies in flight), else just drop the socket. */
export async function closeRedis(...clients: Redis[]): Promise<void> {
  // quit() waits for a reply that a never-connected client would never get.
  await Promise.all(clients.map((client) => (client.status === 'ready' ? client.quit().then(() => undefined) : client.disconnect())));
}

/**
 * Resolves once the connection can take commands: connects it when nobody has yet, or waits for
 * the connection already under way (BullMQ connects the clients it is handed). Rejects with the
 * first connection error, so a service that needs Redis to start fails its start instead of hanging.
 */
export async function openRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'wait') {
    await client.connect();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const ready = () => {
      client.off('error', failed);
      resolve();
    };
    const failed = (error: unknown) => {
      client.off('ready', ready);
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    client.once('ready', ready);
    client.once('error', failed);
  });
}
