import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { consumerQueueName, TopologyConflictError } from '@trendcast/messaging';
import { openConnectionsTo, sleep, startRabbitProxy, stopDuringBrokerOutage, testEnv, uniqueName, waitFor, runNpmScript, inboxAfterPruning } from '@trendcast/testing';
import amqp from 'amqplib';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { startThinker } from '../support/service.js';

const appDir = fileURLToPath(new URL('../..', import.meta.url));

describe('the event backbone, at service level', () => {
  it('when the service stops while the broker answers nothing and an event waits in the outbox, then every step ends in its share, the database is closed and stop() resolves true within SHUTDOWN_TIMEOUT_MS', async () => {
    const shutdownTimeoutMs = 8_000;
    const proxy = await startRabbitProxy();
    const stack = await startThinker({ env: { RABBITMQ_URL: proxy.url, SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) } });
    try {
      await waitFor(() => stack.service.bus.checkReady().then(() => true), { what: 'ready' });
      const { clean, tookMs } = await stopDuringBrokerOutage(proxy, stack.service, async () => {
        // A generation completes while the broker is silent: its thinker.drafts.generated waits in the outbox.
        const app = stack.service.app!;
        const headers = await stack.signer.headersFor(randomUUID());
        const { id } = (await app.inject({ method: 'POST', url: '/thinker/generations', headers, payload: { topic: 'pizza' } })).json();
        await waitFor(async () => (await app.inject({ method: 'GET', url: `/thinker/generations/${id}`, headers })).json().status === 'completed', {
          what: 'the generation to complete',
        });
        await sleep(300);
      });
      expect(clean).toBe(true);
      expect(tookMs).toBeLessThan(shutdownTimeoutMs);
      expect(stack.service.stops.map(([name]) => name)).toEqual([
        'http', 'event consumer', 'inbox pruner', 'worker', 'reconciler', 'redis worker connection', 'outbox relay', 'rabbitmq', 'redis', 'postgres',
      ]);
      expect(await openConnectionsTo(stack.db.name)).toBe(0);
      const sql = postgres(stack.db.url, { max: 1, onnotice: () => {} });
      const unsent = await sql`select type from outbox_messages where sent_at is null`.finally(() => sql.end());
      expect(unsent.map((row) => row.type)).toContain('thinker.drafts.generated');
    } finally {
      proxy.restore();
      await stack.close();
      await proxy.close();
    }
  });

  it('when the service starts with handled events older than INBOX_RETENTION_DAYS, then its pruner forgets them and keeps the younger ones', async () => {
    const stack = await startThinker({ env: { INBOX_RETENTION_DAYS: '7' }, start: false });
    try {
      const { left, kept } = await inboxAfterPruning({ databaseUrl: stack.db.url, consumer: 'thinker', start: () => stack.service.start() });
      expect(left).toEqual(kept);
    } finally {
      await stack.close();
    }
  });

  it('when a consumer queue exists as a classic queue, then start fails at once naming it and the migration step, and after npm run migrate:queues the service starts', async () => {
    const namespace = uniqueName('thinker');
    const queue = consumerQueueName('thinker', 'trends', namespace);
    const connection = await amqp.connect(testEnv.rabbitUrl);
    await (await connection.createChannel()).assertQueue(queue, { durable: true });
    await connection.close();
    const stale = await startThinker({ env: { RABBITMQ_NAMESPACE: namespace }, start: false });
    let fresh: Awaited<ReturnType<typeof startThinker>> | undefined;
    try {
      const startedAt = performance.now();
      const failure = await stale.service.start().then(() => undefined, (error: unknown) => error);
      expect(performance.now() - startedAt).toBeLessThan(5_000);
      expect(failure).toBeInstanceOf(TopologyConflictError);
      expect((failure as Error).message).toContain(`queue "${queue}"`);
      expect((failure as Error).message).toContain('npm run migrate:queues -w @trendcast/thinker');
      const ready = await stale.service.app!.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      await stale.service.stop();

      const { code, output } = await runNpmScript('migrate:queues', { cwd: appDir, env: { ...process.env, ...stale.env, LOG_LEVEL: 'info' } });
      expect({ code, output }).toMatchObject({ code: 0 });
      expect(output).toContain(`queue ${queue}: migrated`);
      fresh = await startThinker({ env: { RABBITMQ_NAMESPACE: namespace } });
      expect((await fresh.service.app!.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
    } finally {
      await fresh?.close();
      await stale.db.drop().catch(() => undefined);
    }
  });
});
