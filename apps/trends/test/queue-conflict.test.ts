import { fileURLToPath } from 'node:url';
import { consumerQueueName, TopologyConflictError } from '@trendcast/messaging';
import { testEnv, uniqueName, runNpmScript } from '@trendcast/testing';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './support/service.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));

describe('a consumer queue declared by an earlier version', () => {
  const namespace = uniqueName('trends');
  const queue = consumerQueueName('trends', 'users', namespace);
  const stacks: TestStack[] = [];

  afterAll(async () => {
    for (const stack of stacks) await stack.close();
  });

  it('when the trends consumer queue exists as a classic queue, then start fails at once naming it and the migration step, /readyz says why, and after npm run migrate:queues the service starts', async () => {
    // Arrange: the queue as versions before quorum queues declared it, under this test's namespace.
    const connection = await amqp.connect(testEnv.rabbitUrl);
    await (await connection.createChannel()).assertQueue(queue, { durable: true });
    await connection.close();
    const stale = await startTestStack({ env: { RABBITMQ_NAMESPACE: namespace }, start: false });
    stacks.push(stale);

    // Act
    const startedAt = performance.now();
    const failure = await stale.service.start().then(() => undefined, (error: unknown) => error);
    const tookMs = performance.now() - startedAt;
    const ready = await stale.service.app!.inject({ method: 'GET', url: '/readyz' });

    // Assert
    expect(tookMs).toBeLessThan(5_000);
    expect(failure).toBeInstanceOf(TopologyConflictError);
    expect((failure as Error).message).toContain(`queue "${queue}" already exists on the broker with other arguments`);
    expect((failure as Error).message).toContain('npm run migrate:queues -w @trendcast/trends');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.rabbitmq).toContain(`queue "${queue}"`);
    await stale.service.stop();

    // Act: the operator's one-shot step (no instance consumes), then a new instance.
    const { code, output } = await runNpmScript('migrate:queues', { cwd: appDir, env: { ...process.env, ...stale.env, LOG_LEVEL: 'info' } });
    const fresh = await startTestStack({ env: { RABBITMQ_NAMESPACE: namespace }, start: false });
    stacks.push(fresh);
    await fresh.service.start();

    // Assert
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toContain(`queue ${queue}: migrated`);
    expect((await fresh.service.app!.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
  });
});
