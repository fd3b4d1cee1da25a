import { DeadlineExceededError } from '@trendcast/core';
import { rabbitUrlWithPort, startTcpProxy, uniqueName, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerQueueName, EventConsumer, RabbitConnection, TopologyConflictError, withChannel } from '../src/index.js';
import { openConnection, recordingLogger, removeDeclaredAndClose } from './support.js';

const namespace = uniqueName('msgtest_start');
let connection: RabbitConnection;
const queues: string[] = [];

beforeAll(async () => {
  connection = await openConnection('start-failures-test');
});

afterAll(async () => {
  await removeDeclaredAndClose(connection, namespace, { queues, producers: ['users'] });
});

describe('consumer start', () => {
  it('when its queue exists with other arguments (406), then start fails at once with an error naming the queue, and readiness says why', async () => {
    // Arrange: the queue as an older version declared it, a classic queue.
    const service = uniqueName('conflict');
    const queue = consumerQueueName(service, 'users', namespace);
    await withChannel(connection, (channel) => channel.assertQueue(queue, { durable: true }));
    const consumer = new EventConsumer(connection, { service, namespace, logger: recordingLogger(), startTimeoutMs: 20_000 }).on('users.user.deleted', async () => {});
    queues.push(...consumer.queueNames());

    // Act
    const startedAt = performance.now();
    const failure = await consumer.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    const tookMs = performance.now() - startedAt;

    // Assert
    expect(failure).toBeInstanceOf(TopologyConflictError);
    expect((failure as TopologyConflictError).entity).toBe(queue);
    expect((failure as Error).message).toContain(`queue "${queue}"`);
    expect((failure as Error).message).toMatch(/argument x-[a-z-]+: received/);
    expect((failure as Error).message).toContain('migrateQueues');
    expect(tookMs).toBeLessThan(5_000);
    await expect(consumer.checkReady()).rejects.toThrow('stopping');
  });

  it('when the consumer is told its service\'s queue migration step, then the error of a refused queue declaration names that step', async () => {
    // Arrange
    const service = uniqueName('conflictstep');
    const queue = consumerQueueName(service, 'users', namespace);
    await withChannel(connection, (channel) => channel.assertQueue(queue, { durable: true }));
    const step = 'npm run migrate:queues -w @trendcast/example';
    const consumer = new EventConsumer(connection, { service, namespace, logger: recordingLogger(), queueMigrationStep: step }).on('users.user.deleted', async () => {});
    queues.push(...consumer.queueNames());

    // Act
    const failure = await consumer.start().then(
      () => undefined,
      (error: unknown) => error,
    );

    // Assert
    expect(failure).toBeInstanceOf(TopologyConflictError);
    expect((failure as TopologyConflictError).migrationStep).toBe(step);
    expect((failure as Error).message).toContain(`queue "${queue}" already exists`);
    expect((failure as Error).message).toContain(`no old instance consuming: ${step}`);
  });

  it('when a running consumer meets a conflicting queue on reconnect, then it keeps retrying and its readiness names the queue', async () => {
    // Arrange
    const service = uniqueName('conflictlater');
    const own = await openConnection('start-failures-own');
    const consumer = new EventConsumer(own, { service, namespace, logger: recordingLogger() }).on('users.user.deleted', async () => {});
    queues.push(...consumer.queueNames());
    await consumer.start();
    await consumer.checkReady();
    const queue = consumerQueueName(service, 'users', namespace);

    // Act: someone replaces the queue with a classic one; the broker cancels the consumer.
    await withChannel(connection, async (channel) => {
      await channel.deleteQueue(queue);
      await channel.assertQueue(queue, { durable: true });
    });

    // Assert
    const reason = await waitFor(() => consumer.checkReady().then(() => undefined, (error: Error) => error.message.includes('already exists') && error.message), {
      what: 'readiness to name the conflict',
    });
    expect(reason).toContain(`not consuming: queue "${queue}" already exists on the broker with other arguments`);
    await consumer.stop({ timeoutMs: 2_000 });
    await own.close();
  });

  it('when the broker is unreachable, then start fails after its deadline instead of waiting for ever', async () => {
    // Arrange
    const proxy = await startTcpProxy(5672);
    proxy.pause();
    const unreachable = new RabbitConnection({ url: rabbitUrlWithPort(proxy.port), name: 'start-unreachable', logger: recordingLogger(), maxReconnectDelayMs: 200 });
    const consumer = new EventConsumer(unreachable, { service: uniqueName('unreachable'), namespace, logger: recordingLogger() }).on('users.user.deleted', async () => {});

    // Act
    const connecting = unreachable.start({ timeoutMs: 500 }).then(() => undefined, (error: unknown) => error);
    const starting = consumer.start({ timeoutMs: 800 }).then(() => undefined, (error: unknown) => error);

    // Assert
    expect(await connecting).toBeInstanceOf(DeadlineExceededError);
    const failure = await starting;
    expect(failure).toBeInstanceOf(DeadlineExceededError);
    expect((failure as Error).message).toContain('starting consumer');
    await unreachable.close({ timeoutMs: 1_000 });
    await proxy.close();
  });
});
