import { sleep, uniqueName, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumerQueueArguments,
  consumerQueueName,
  deadLetterQueueName,
  EventConsumer,
  EventPublisher,
  holdingQueueName,
  messageHeaders,
  producerExchangeName,
  queueStats,
  QueueInUseError,
  retryQueueName,
  withChannel,
  type RabbitConnection,
} from '../src/index.js';
import { openConnection, recordingLogger, removeDeclaredAndClose, sampleEvent } from './support.js';

const namespace = uniqueName('msgtest_migrate');
const retryDelaysMs = [300, 2_000];
let connection: RabbitConnection;
const queues: string[] = [];

beforeAll(async () => {
  connection = await openConnection('queue-migration-test');
});

afterAll(async () => {
  await removeDeclaredAndClose(connection, namespace, { queues, producers: ['users'] });
});

/** The topology as the version before quorum queues declared it: classic queues, no unrouted parking. */
async function declareClassicTopology(queue: string, exchange: string, routingKeys: string[]): Promise<void> {
  await withChannel(connection, async (channel) => {
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertQueue(queue, { durable: true });
    for (const key of routingKeys) await channel.bindQueue(queue, exchange, key);
    for (const delayMs of retryDelaysMs) {
      await channel.assertQueue(retryQueueName(queue, delayMs), {
        durable: true,
        arguments: { 'x-message-ttl': delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
      });
    }
    await channel.assertQueue(deadLetterQueueName(queue), { durable: true });
  });
}

async function exists(queue: string): Promise<boolean> {
  return withChannel(connection, (channel) => channel.checkQueue(queue)).then(
    () => true,
    () => false,
  );
}

describe('moving classic queues to quorum queues', () => {
  it('when a deployment still has classic queues holding messages, then migrateQueues moves them to quorum queues without losing one, while events keep arriving', { timeout: 60_000 }, async () => {
    // Arrange: a running deployment's queues, with waiting events, a delayed retry and a dead letter.
    const service = uniqueName('migrating');
    const queue = consumerQueueName(service, 'users', namespace);
    const exchange = producerExchangeName('users', namespace);
    const routingKeys = ['users.user.registered', 'users.user.deleted'];
    await declareClassicTopology(queue, exchange, routingKeys);
    const received: Array<{ id: string; attempt: number }> = [];
    const consumer = new EventConsumer(connection, { service, namespace, logger: recordingLogger(), retryDelaysMs })
      .on('users.user.registered', async (event, { attempt }) => {
        received.push({ id: event.id, attempt });
      })
      .on('users.user.deleted', async (event, { attempt }) => {
        received.push({ id: event.id, attempt });
      });
    queues.push(...consumer.queueNames(), holdingQueueName(queue), ...retryDelaysMs.map((delay) => holdingQueueName(retryQueueName(queue, delay))));
    const publisher = new EventPublisher(connection, { namespace });
    const waiting = [sampleEvent('users.user.registered'), sampleEvent('users.user.deleted'), sampleEvent('users.user.registered')];
    for (const event of waiting) await publisher.publish(event);
    const delayed = sampleEvent('users.user.deleted');
    await withChannel(connection, async (channel) => {
      channel.sendToQueue(retryQueueName(queue, 2_000), Buffer.from(JSON.stringify(delayed)), { persistent: true, messageId: delayed.id, headers: { [messageHeaders.attempt]: 2 } });
      channel.sendToQueue(deadLetterQueueName(queue), Buffer.from('a dead letter'), { persistent: true });
      await channel.waitForConfirms();
    });

    // Act: migrate while a producer keeps publishing.
    const duringMigration: string[] = [];
    let publishing = true;
    const producer = (async () => {
      while (publishing) {
        const event = sampleEvent('users.user.registered');
        await publisher.publish(event);
        duringMigration.push(event.id);
        await sleep(5);
      }
    })();
    await sleep(50);
    const results = await consumer.migrateQueues();
    await sleep(50);
    publishing = false;
    await producer;
    await consumer.start();

    // Assert: every event arrives, the delayed one as its second attempt, and the queues are quorum now.
    const expected = [...waiting.map((event) => event.id), delayed.id, ...duringMigration];
    await waitFor(() => expected.every((id) => received.some((entry) => entry.id === id)), { what: 'every event', timeoutMs: 15_000 });
    expect(results).toEqual([expect.objectContaining({ queue, outcome: 'migrated' })]);
    expect(results[0]!.movedMessages).toBeGreaterThanOrEqual(waiting.length + 1);
    expect(duringMigration.length).toBeGreaterThan(3);
    expect(received.find((entry) => entry.id === delayed.id)?.attempt).toBe(2);
    expect(new Set(received.map((entry) => entry.id))).toEqual(new Set(expected));
    await withChannel(connection, (channel) => channel.assertQueue(queue, { durable: true, arguments: consumerQueueArguments(queue, 'quorum', 5) }));
    expect(await exists(holdingQueueName(queue))).toBe(false);
    expect(await exists(holdingQueueName(retryQueueName(queue, 2_000)))).toBe(false);
    expect((await queueStats(connection, deadLetterQueueName(queue))).messageCount).toBe(1);
    // A second run finds nothing to do.
    await consumer.stop();
    expect(await consumer.migrateQueues()).toEqual([{ queue, outcome: 'already-current', movedMessages: 0 }]);
    await publisher.close();
  });

  it('when another instance still consumes the classic queue, then migrateQueues refuses and changes nothing', async () => {
    // Arrange
    const service = uniqueName('inuse');
    const queue = consumerQueueName(service, 'users', namespace);
    const exchange = producerExchangeName('users', namespace);
    await declareClassicTopology(queue, exchange, ['users.user.deleted']);
    const consumer = new EventConsumer(connection, { service, namespace, logger: recordingLogger(), retryDelaysMs }).on('users.user.deleted', async () => {});
    queues.push(...consumer.queueNames(), holdingQueueName(queue));
    const oldInstance = await (await connection.waitForConnection()).createChannel();
    await oldInstance.consume(queue, () => {});

    // Act
    const failure = await consumer.migrateQueues().then(() => undefined, (error: unknown) => error);

    // Assert
    expect(failure).toBeInstanceOf(QueueInUseError);
    expect(await exists(holdingQueueName(queue))).toBe(false);
    expect((await queueStats(connection, queue)).consumerCount).toBe(1);
    await oldInstance.close();
  });
});
