import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { consumerQueueName, TopologyConflictError } from '@trendcast/messaging';
import { openConnectionsTo, sleep, startRabbitProxy, stopDuringBrokerOutage, testEnv, uniqueName, waitFor, type RabbitProxy, runNpmScript, inboxAfterPruning } from '@trendcast/testing';
import amqp from 'amqplib';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { startTweeter, type TweeterStack } from './support/service.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));

describe('the event backbone at service level', () => {
  const stacks: TweeterStack[] = [];
  let proxy: RabbitProxy | undefined;

  afterAll(async () => {
    proxy?.restore();
    for (const stack of stacks) await stack.close();
    await proxy?.close();
  });

  it('when the service stops while the broker answers nothing and an event waits in the outbox, then every step ends in its share, the database is closed and stop() resolves true within SHUTDOWN_TIMEOUT_MS', async () => {
    const shutdownTimeoutMs = 8_000;
    proxy = await startRabbitProxy();
    const stack = await startTweeter({ env: { RABBITMQ_URL: proxy.url, SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) } });
    stacks.push(stack);
    await waitFor(() => stack.service.bus.checkReady().then(() => true), { what: 'ready' });
    const user = randomUUID();
    const headers = await stack.headersFor(user);
    const channel = (await stack.service.app!.inject({ method: 'POST', url: '/tweeter/channels', headers, payload: { kind: 'timeline', name: 'x', handle: `outage_${user.slice(0, 8)}` } })).json();

    const { clean, tookMs } = await stopDuringBrokerOutage(proxy, stack.service, async () => {
      const post = (await stack.service.app!.inject({ method: 'POST', url: '/tweeter/posts', headers, payload: { text: 'while the broker is silent', channelId: channel.id } })).json();
      await waitFor(async () => (await stack.service.app!.inject({ method: 'GET', url: `/tweeter/posts/${post.id}`, headers })).json().status === 'published', {
        what: 'the post to be published',
        timeoutMs: 20_000,
      });
      await sleep(300); // the relay's batch is waiting for confirms that never come
    });

    expect(clean).toBe(true);
    expect(tookMs).toBeLessThan(shutdownTimeoutMs);
    expect(stack.service.stops.map(([name]) => name)).toEqual([
      'http', 'event consumer', 'inbox pruner', 'worker', 'reconciler', 'redis worker connection', 'outbox relay', 'rabbitmq', 'redis', 'outbound http', 'postgres',
    ]);
    expect(await openConnectionsTo(stack.db.name)).toBe(0);
    const sql = postgres(stack.db.url, { max: 1, onnotice: () => {} });
    const unsent = await sql`select type from outbox_messages where sent_at is null`.finally(() => sql.end());
    expect(unsent.map((row) => row.type)).toContain('tweeter.post.published');
  });

  it('when the service starts with handled events older than INBOX_RETENTION_DAYS, then its pruner forgets them and keeps the younger ones', async () => {
    const stack = await startTweeter({ env: { INBOX_RETENTION_DAYS: '7' }, start: false });
    stacks.push(stack);
    const { left, kept } = await inboxAfterPruning({ databaseUrl: stack.db.url, consumer: 'tweeter', start: () => stack.service.start() });
    expect(left).toEqual(kept);
  });

  it('when a consumer queue exists as a classic queue, then start fails at once naming it and the migration step, /readyz says why, and after npm run migrate:queues the service starts', async () => {
    const namespace = uniqueName('tweeter');
    const queue = consumerQueueName('tweeter', 'thinker', namespace);
    const connection = await amqp.connect(testEnv.rabbitUrl);
    await (await connection.createChannel()).assertQueue(queue, { durable: true });
    await connection.close();
    const stale = await startTweeter({ env: { RABBITMQ_NAMESPACE: namespace }, start: false });
    stacks.push(stale);

    const startedAt = performance.now();
    const failure = await stale.service.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    const tookMs = performance.now() - startedAt;
    const ready = await stale.service.app!.inject({ method: 'GET', url: '/readyz' });

    expect(tookMs).toBeLessThan(5_000);
    expect(failure).toBeInstanceOf(TopologyConflictError);
    expect((failure as Error).message).toContain(`queue "${queue}" already exists on the broker with other arguments`);
    expect((failure as Error).message).toContain('npm run migrate:queues -w @trendcast/tweeter');
    expect(ready.statusCode).toBe(503);
    await stale.service.stop();

    const { code, output } = await runNpmScript('migrate:queues', { cwd: appDir, env: { ...process.env, ...stale.env, LOG_LEVEL: 'info' } });
    const fresh = await startTweeter({ env: { RABBITMQ_NAMESPACE: namespace }, start: false });
    stacks.push(fresh);
    await fresh.service.start();

    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toContain(`queue ${queue}: migrated`);
    expect((await fresh.service.app!.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
  });
});
